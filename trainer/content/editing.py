"""Trainer edits of procedures, steps and forbidden phrases: checked, versioned and audited.

Each edit bumps the row's version, stores the new version in the revision history and
writes an audit entry with the before/after values; export brings the edits back to files.
"""

import re

from sqlalchemy import select

from trainer.audit.services import record
from trainer.content.library_format import (
    REMINDER_TYPES,
    ModuleSpec,
    PhraseSpec,
    ReminderSpec,
    StepSpec,
    content_hash,
)
from trainer.content.loading import (
    add_revision,
    apply_module,
    apply_phrase,
    apply_procedure,
    module_spec,
    phrase_spec,
    procedure_spec,
)
from trainer.content.models import ContentModule, Procedure, ProcedureStep
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.phrases.engine import PhraseRule, normalise_pattern, wording_occurs_in
from trainer.phrases.models import ForbiddenPhrase
from trainer.phrases.services import current_matcher

# Reminder lines in the edit form: "易忘：…", "易错：…", "重要：…" (or the English type names).
REMINDER_PREFIXES = {
    "易忘": "forgettable",
    "易错": "error_prone",
    "重要": "important",
    **{kind: kind for kind in REMINDER_TYPES},
}
REMINDER_LABELS = {"forgettable": "易忘", "error_prone": "易错", "important": "重要"}
_REMINDER_LINE = re.compile(r"^\s*([^:：\s]+)\s*[:：]\s*(.+?)\s*$")


class EditError(DomainError, ValueError):
    """An edit was refused; `errors` maps form field → messages (shown next to the field)."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for ms in errors.values() for m in ms))


def lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def parse_reminders(text: str) -> tuple[tuple[ReminderSpec, ...], list[str]]:
    reminders, errors = [], []
    for number, line in enumerate(lines(text), start=1):
        match = _REMINDER_LINE.match(line)
        kind = REMINDER_PREFIXES.get(match.group(1)) if match else None
        if kind is None:
            errors.append(f"line {number}: start with 易忘：, 易错： or 重要：")
            continue
        reminders.append(ReminderSpec(kind, match.group(2)))
    return tuple(reminders), errors


def format_reminders(reminders: list[dict]) -> str:
    return "\n".join(f"{REMINDER_LABELS.get(r['type'], r['type'])}：{r['text']}" for r in reminders)


def normalise_text(text: str, previous: str = "") -> str:
    """Textareas send CRLF and trim at will; the library stores LF, and block text ends with
    a newline. Text equal to `previous` but for that whitespace stays exactly `previous`."""
    text = (text or "").replace("\r\n", "\n").strip()
    if text == previous.strip():
        return previous
    return text + "\n" if "\n" in text or previous.endswith("\n") else text


def build_step(step: ProcedureStep, *, title: str, standard: str, script: str, reminders: str):
    """The edited step as a spec, or EditError naming each bad field."""
    errors: dict[str, list[str]] = {}
    reminder_specs, reminder_errors = parse_reminders(reminders)
    if reminder_errors:
        errors["reminders"] = reminder_errors
    spec = StepSpec(
        key=step.key,
        title=title.strip(),
        standard=normalise_text(standard, step.standard),
        script=lines(script),
        reminders=reminder_specs,
    )
    if not spec.title:
        errors.setdefault("title", []).append("must not be empty")
    if not spec.standard:
        errors.setdefault("standard", []).append("must not be empty")
    if not spec.script:
        errors.setdefault("script", []).append("at least one line to say")
    matcher = current_matcher()
    for line in spec.script:
        for finding in matcher.scan(line):
            errors.setdefault("script", []).append(
                f"“{finding.matched}” is a forbidden phrase; say instead: {finding.alternative}"
            )
    if errors:
        raise EditError(errors)
    return spec


def update_step(actor, step: ProcedureStep, **fields: str) -> ProcedureStep:
    """Save an edited step (see build_step for the fields); versioned and audited."""
    new_step = build_step(step, **fields)
    procedure = step.procedure
    old = procedure_spec(procedure)
    before = next(s for s in old.steps if s.key == step.key).to_data()
    new = old.__class__(
        key=old.key,
        title=old.title,
        summary=old.summary,
        steps=tuple(new_step if s.key == step.key else s for s in old.steps),
    )
    _save_procedure(actor, procedure, new, "procedure.step_edit", before, new_step.to_data())
    return step


def update_procedure(actor, procedure: Procedure, *, title: str, summary: str) -> Procedure:
    if not title.strip():
        raise EditError({"title": ["must not be empty"]})
    old = procedure_spec(procedure)
    new = old.__class__(
        key=old.key,
        title=title.strip(),
        summary=normalise_text(summary, procedure.summary or ""),
        steps=old.steps,
    )
    _save_procedure(
        actor,
        procedure,
        new,
        "procedure.edit",
        {"title": old.title, "summary": old.summary},
        {"title": new.title, "summary": new.summary},
    )
    return procedure


def _save_procedure(actor, procedure: Procedure, spec, action: str, before, after) -> None:
    data = spec.to_data()
    if content_hash(data) == procedure.content_hash:
        return  # nothing changed: no new version
    apply_procedure(procedure, spec)
    procedure.version += 1
    db.session.flush()
    add_revision("procedure", procedure, data, "ui", actor)
    record(actor, action, procedure, before=before, after={**after, "version": procedure.version})


def save_module(actor, module: ContentModule, spec: ModuleSpec) -> ContentModule:
    """Save a module (its pages matched by key, so study progress stays) edited as a whole:
    a new version in the revision history, audited; unchanged content saves nothing."""
    data = spec.to_data()
    if content_hash(data) == module.content_hash:
        return module
    before = {"version": module.version, "title": module_spec(module).title}
    apply_module(module, spec)
    module.version += 1
    db.session.flush()
    add_revision("module", module, data, "ui", actor)
    record(actor, "module.edit", module, before=before, after={"version": module.version})
    return module


def build_phrase(target: ForbiddenPhrase, /, **fields: str) -> PhraseSpec:
    """The edited phrase as a spec (variants and allowed contexts one per line), or EditError."""
    spec = PhraseSpec(
        key=target.key,
        phrase=fields["phrase"].strip(),
        category=fields["category"].strip(),
        reason=fields["reason"].strip(),
        alternative=fields["alternative"].strip(),
        variants=lines(fields.get("variants", "")),
        allowed_contexts=lines(fields.get("allowed_contexts", "")),
    )
    errors: dict[str, list[str]] = {}
    for name in ("phrase", "category", "reason", "alternative"):
        if not getattr(spec, name):
            errors.setdefault(name, []).append("must not be empty")
    patterns = [normalise_pattern(p) for p in (spec.phrase, *spec.variants) if p]
    taken = _wordings_of_other_phrases(target)
    for wording, normalised in zip((spec.phrase, *spec.variants), patterns, strict=False):
        if normalised in taken:
            errors.setdefault("variants", []).append(
                f"“{wording}” is already a wording of “{taken[normalised]}”"
            )
    for context in spec.allowed_contexts:
        if not any(wording_occurs_in(w, context) for w in (spec.phrase, *spec.variants) if w):
            errors.setdefault("allowed_contexts", []).append(
                f"“{context}” must contain the phrase or a variant"
            )
    if errors:
        raise EditError(errors)
    return spec


def preview_rule(spec: PhraseSpec) -> PhraseRule:
    return PhraseRule(
        spec.key,
        spec.phrase,
        spec.variants,
        spec.category,
        spec.reason,
        spec.alternative,
        spec.allowed_contexts,
    )


def update_phrase(actor, target: ForbiddenPhrase, /, **fields: str) -> ForbiddenPhrase:
    """Save an edited forbidden phrase (see build_phrase); versioned and audited."""
    spec = build_phrase(target, **fields)
    before = phrase_spec(target).to_data()
    data = spec.to_data()
    if content_hash(data) != target.content_hash:
        apply_phrase(target, spec)
        target.version += 1
        db.session.flush()
        add_revision("phrase", target, data, "ui", actor)
        record(
            actor, "phrase.edit", target, before=before, after={**data, "version": target.version}
        )
    return target


def _wordings_of_other_phrases(target: ForbiddenPhrase) -> dict[str, str]:
    """Normalised wording → phrase, for every phrase but `target` (wordings must be unique)."""
    taken = {}
    for other in db.session.scalars(select(ForbiddenPhrase).where(ForbiddenPhrase.id != target.id)):
        for wording in (other.phrase, *other.variants):
            taken[normalise_pattern(wording)] = other.phrase
    return taken

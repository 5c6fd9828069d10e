"""Load the scripts library into the database and export it back to the same files.

Loading validates everything first and writes nothing unless every file is clean. It is
idempotent: a row whose content hash is unchanged is left alone; a changed row is updated
in place (so study progress and references survive), its version goes up and the new
version joins the revision history. Export writes the database back in the library format,
so load → export → load changes nothing.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import func, select

from trainer.audit.services import record
from trainer.config import ROOT
from trainer.content.library_format import (
    Library,
    ModuleSpec,
    PageSpec,
    PhraseSpec,
    ProcedureSpec,
    ProgrammeSpec,
    ReferenceSpec,
    ReminderSpec,
    StepSpec,
    content_hash,
)
from trainer.content.models import (
    ContentModule,
    ContentRevision,
    ModulePage,
    Procedure,
    ProcedureStep,
    ProgrammeModule,
)
from trainer.content.validation import PROGRAMMES_FILE, read_library
from trainer.extensions import db
from trainer.library.sync import active_reload
from trainer.phrases.models import ForbiddenPhrase
from trainer.source_files import Problem
from trainer.training.models import Programme
from trainer.training.services import get_or_create_programme

DEFAULT_LIBRARY = ROOT / "scripts_library"
PHRASES_FILE = "phrases/forbidden.yaml"


class LibraryInvalid(Exception):
    """The library has problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problems in the scripts library")


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)  # edited in the UI, file unchanged
    conflict: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        bucket = getattr(self, outcome)
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        def describe(bucket: dict[str, int]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(bucket.items())) or "nothing"

        text = (
            f"created {describe(self.created)}; updated {describe(self.updated)}; "
            f"unchanged {describe(self.unchanged)}"
        )
        if self.kept:
            text += f"; kept (edited in UI) {describe(self.kept)}"
        if self.conflict:
            text += f"; conflicts {describe(self.conflict)}"
        return text


# ---- rows ↔ specs ---------------------------------------------------------------------------


def procedure_spec(procedure: Procedure) -> ProcedureSpec:
    return ProcedureSpec(
        key=procedure.key,
        title=procedure.title,
        summary=procedure.summary or "",
        steps=tuple(
            StepSpec(
                key=step.key,
                title=step.title,
                standard=step.standard,
                script=tuple(step.script),
                reminders=tuple(ReminderSpec(r["type"], r["text"]) for r in step.reminders),
            )
            for step in procedure.steps
        ),
    )


def phrase_spec(phrase: ForbiddenPhrase) -> PhraseSpec:
    return PhraseSpec(
        key=phrase.key,
        phrase=phrase.phrase,
        category=phrase.category,
        reason=phrase.reason,
        alternative=phrase.alternative,
        variants=tuple(phrase.variants),
        allowed_contexts=tuple(phrase.allowed_contexts),
    )


def module_spec(module: ContentModule) -> ModuleSpec:
    return ModuleSpec(
        key=module.key,
        title=module.title,
        summary=module.summary or "",
        pre_job=module.pre_job,
        prerequisites=tuple(module.prerequisites),
        pages=tuple(
            PageSpec(p.key, p.title, p.body, tuple(ReferenceSpec(**r) for r in p.references))
            for p in module.pages
        ),
    )


def apply_procedure(procedure: Procedure, spec: ProcedureSpec) -> None:
    """Make the rows match `spec`; steps are matched by key so their ids survive."""
    procedure.title, procedure.summary = spec.title, spec.summary
    existing = {step.key: step for step in procedure.steps}
    steps = []
    for position, step_spec in enumerate(spec.steps):
        step = existing.get(step_spec.key) or ProcedureStep(key=step_spec.key)
        step.position = position
        step.title, step.standard = step_spec.title, step_spec.standard
        step.script = list(step_spec.script)
        step.reminders = [r.to_data() for r in step_spec.reminders]
        steps.append(step)
    procedure.steps = steps
    procedure.content_hash = content_hash(spec.to_data())


def apply_phrase(phrase: ForbiddenPhrase, spec: PhraseSpec) -> None:
    phrase.phrase, phrase.category = spec.phrase, spec.category
    phrase.reason, phrase.alternative = spec.reason, spec.alternative
    phrase.variants = list(spec.variants)
    phrase.allowed_contexts = list(spec.allowed_contexts)
    phrase.content_hash = content_hash(spec.to_data())


def apply_module(module: ContentModule, spec: ModuleSpec) -> None:
    module.title, module.summary, module.pre_job = spec.title, spec.summary, spec.pre_job
    module.prerequisites = list(spec.prerequisites)
    existing = {page.key: page for page in module.pages}
    pages = []
    for position, page_spec in enumerate(spec.pages):
        page = existing.get(page_spec.key) or ModulePage(key=page_spec.key)
        page.position, page.title, page.body = position, page_spec.title, page_spec.body
        page.references = [r.to_data() for r in page_spec.references]
        pages.append(page)
    module.pages = pages
    module.content_hash = content_hash(spec.to_data())


def add_revision(kind: str, row, data: dict, source: str, actor=None) -> ContentRevision:
    revision = ContentRevision(
        kind=kind,
        key=row.key,
        version=row.version,
        data=data,
        source=source,
        actor_id=getattr(actor, "id", None),
    )
    db.session.add(revision)
    return revision


# ---- load -----------------------------------------------------------------------------------


def load_library(root: Path | str = DEFAULT_LIBRARY, actor=None) -> LoadReport:
    """Validate, then load everything or nothing. Raises LibraryInvalid listing every problem."""
    library, problems = read_library(root)
    if problems:
        raise LibraryInvalid(problems)
    return load_specs(library, actor)


def load_specs(library: Library, actor=None) -> LoadReport:
    report = LoadReport()
    for spec in library.procedures:
        _upsert("procedure", Procedure, spec, apply_procedure, report, actor)
    for position, spec in enumerate(library.phrases):
        row = _upsert("phrase", ForbiddenPhrase, spec, apply_phrase, report, actor)
        row.position = position
    for spec in library.modules:
        _upsert("module", ContentModule, spec, apply_module, report, actor)
    db.session.flush()
    for spec in library.programmes:
        _load_programme(spec, report, actor)
    db.session.flush()
    return report


def _edited_in_ui(kind: str, key: str) -> bool:
    """Whether the newest revision of an item loaded before digests were kept is a UI edit."""
    source = db.session.scalar(
        select(ContentRevision.source)
        .where(ContentRevision.kind == kind, ContentRevision.key == key)
        .order_by(ContentRevision.version.desc())
        .limit(1)
    )
    return source == "ui"


def _upsert(kind, model, spec, apply, report: LoadReport, actor):
    data = spec.to_data()
    row = db.session.scalar(select(model).where(model.key == spec.key))
    if (reconciler := active_reload()) is not None:
        outcome = reconciler.decide(
            kind,
            spec.key,
            content_hash(data),
            row.content_hash if row is not None else None,
            pending={"data": data},
            edited_before_tracking=lambda: _edited_in_ui(kind, spec.key),
        )
        if not outcome.takes_file:
            report.count(kind, outcome.value)
            return row
    elif row is not None and row.content_hash == content_hash(data):
        report.count(kind, "unchanged")
        return row
    if row is None:
        row = model(key=spec.key, version=1)
        db.session.add(row)
        report.count(kind, "created")
        before = None
    else:
        row.version += 1
        report.count(kind, "updated")
        before = {"version": row.version - 1}
    apply(row, spec)
    db.session.flush()
    add_revision(kind, row, data, "file", actor)
    record(actor, f"{kind}.load", row, before=before, after={"version": row.version})
    return row


def programme_module_keys(programme: Programme) -> list[str]:
    rows = db.session.scalars(
        select(ProgrammeModule)
        .where(ProgrammeModule.programme_id == programme.id)
        .order_by(ProgrammeModule.position)
    )
    return [row.module.key for row in rows]


def _load_programme(spec: ProgrammeSpec, report: LoadReport, actor) -> None:
    programme = get_or_create_programme(spec.code, spec.name)
    if programme_module_keys(programme) == list(spec.modules):
        report.count("programme", "unchanged")
        return
    modules = {
        m.key: m
        for m in db.session.scalars(
            select(ContentModule).where(ContentModule.key.in_(spec.modules))
        )
    }
    for row in db.session.scalars(
        select(ProgrammeModule).where(ProgrammeModule.programme_id == programme.id)
    ):
        db.session.delete(row)
    db.session.flush()
    for position, key in enumerate(spec.modules):
        db.session.add(ProgrammeModule(programme=programme, module=modules[key], position=position))
    version = 1 + (
        db.session.scalar(
            select(func.max(ContentRevision.version)).where(
                ContentRevision.kind == "programme", ContentRevision.key == spec.code
            )
        )
        or 0
    )
    db.session.add(
        ContentRevision(
            kind="programme",
            key=spec.code,
            version=version,
            data=spec.to_data(),
            source="file",
            actor_id=getattr(actor, "id", None),
        )
    )
    report.count("programme", "created" if version == 1 else "updated")
    db.session.flush()
    record(actor, "programme.modules", programme, after={"modules": list(spec.modules)})


# ---- export ---------------------------------------------------------------------------------


class _LibraryDumper(yaml.SafeDumper):
    """Multi-line text as `|` blocks and indented lists, the way authors write the files."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _FlowList(list):
    """Short id and phrase lists, written inline: [a, b, c]."""


def _represent_flow_list(dumper: yaml.SafeDumper, value: list):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _inline(data: dict, *names: str) -> dict:
    return {k: _FlowList(v) if k in names else v for k, v in data.items()}


_LibraryDumper.add_representer(str, _represent_text)
_LibraryDumper.add_representer(_FlowList, _represent_flow_list)


def dump_yaml(data) -> str:
    return yaml.dump(
        data,
        Dumper=_LibraryDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


def library_from_database() -> Library:
    procedures = db.session.scalars(select(Procedure).order_by(Procedure.key)).all()
    phrases = db.session.scalars(
        select(ForbiddenPhrase).order_by(ForbiddenPhrase.position, ForbiddenPhrase.id)
    ).all()
    modules = db.session.scalars(select(ContentModule).order_by(ContentModule.key)).all()
    programmes = []
    for programme in db.session.scalars(select(Programme).order_by(Programme.id)):
        if keys := programme_module_keys(programme):
            programmes.append(ProgrammeSpec(programme.code, programme.name, tuple(keys)))
    return Library(
        procedures=[procedure_spec(p) for p in procedures],
        phrases=[phrase_spec(p) for p in phrases],
        modules=[module_spec(m) for m in modules],
        programmes=programmes,
    )


def export_library(out: Path | str) -> list[Path]:
    """Write the database content to `out` in the library format; returns the files written."""
    out = Path(out)
    library = library_from_database()
    files: dict[Path, object] = {}
    for spec in library.procedures:
        files[out / "procedures" / f"{spec.key}.yaml"] = spec.to_data()
    if library.phrases:
        files[out / PHRASES_FILE] = {
            "phrases": [
                _inline(s.to_data(), "variants", "allowed_contexts") for s in library.phrases
            ]
        }
    for spec in library.modules:
        files[out / "modules" / f"{spec.key}.yaml"] = _inline(spec.to_data(), "prerequisites")
    if library.programmes:
        files[out / PROGRAMMES_FILE] = {
            "programmes": [_inline(s.to_data(), "modules") for s in library.programmes]
        }
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_yaml(data), encoding="utf-8")
    return list(files)

"""Scenarios in the database: validating and loading the repository files, versioning
every change, and looking scenarios up. The caller commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from trainer.audit.services import record
from trainer.extensions import db
from trainer.library.sync import Outcome, active_reload
from trainer.roleplay import library_refs
from trainer.roleplay.models import Scenario, ScenarioVersion
from trainer.roleplay.scenario_format import ScenarioFileError, parse_scenario
from trainer.roleplay.scenario_model import Scenario as ScenarioSpec
from trainer.roleplay.validation import validate_scenario
from trainer.source_files import Problem


def check_source(source: str, file: str, known_steps=None) -> ScenarioSpec:
    """Parse and validate one scenario text; raise ScenarioFileError with every problem."""
    spec = parse_scenario(source, file)
    problems = validate_scenario(spec, known_steps or library_refs.procedure_steps())
    if problems:
        raise ScenarioFileError(problems)
    return spec


def check_directory(directory: Path) -> list[tuple[Path, str, ScenarioSpec]]:
    """Every scenario file of `directory`, validated; all problems of all files at once."""
    known = library_refs.procedure_steps()
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    problems: list[Problem] = []
    checked = []
    seen: dict[str, Path] = {}
    for file in files:
        source = file.read_text(encoding="utf-8")
        try:
            spec = check_source(source, _display(file), known)
        except ScenarioFileError as exc:
            problems.extend(exc.problems)
            continue
        if spec.key in seen:
            problems.append(
                Problem(
                    _display(file),
                    spec.line_of("key"),
                    "key",
                    f"{spec.key!r} is already used by {seen[spec.key].name}",
                )
            )
        seen[spec.key] = file
        checked.append((file, source, spec))
    if problems:
        raise ScenarioFileError(problems)
    return checked


def _display(file: Path) -> str:
    try:
        return str(file.relative_to(library_refs.ROOT))
    except ValueError:
        return str(file)


@dataclass(frozen=True)
class LoadSummary:
    created: int
    updated: int
    unchanged: int
    kept: int = 0  # edited in the UI, file unchanged since the last load
    conflict: int = 0

    def __str__(self) -> str:
        text = (
            f"{self.created} scenarios created, {self.updated} updated, {self.unchanged} unchanged"
        )
        if self.kept or self.conflict:
            text += f", {self.kept} kept (edited in UI), {self.conflict} conflicts"
        return text


def load_scenarios(directory: Path = library_refs.SCENARIOS_DIR, actor=None) -> LoadSummary:
    """Load every scenario file: all valid or nothing written; unchanged files do nothing.
    Inside a library reload, three-way (trainer.library.sync): UI edits are never lost."""
    checked = check_directory(directory)
    counts = {outcome.value: 0 for outcome in Outcome}
    reconciler = active_reload()
    for _file, source, spec in checked:
        if reconciler is not None:
            outcome = _decide(reconciler, spec, source)
            if not outcome.takes_file:
                counts[outcome.value] += 1
                continue
        outcome = save_version(actor, spec, source, origin="file")
        counts[outcome] += 1
    return LoadSummary(**counts)


def _decide(reconciler, spec: ScenarioSpec, source: str) -> Outcome:
    scenario = scenario_by_key(spec.key)
    current = current_version(scenario) if scenario is not None else None
    return reconciler.decide(
        "scenario",
        spec.key,
        text_digest(source),
        current.source_hash if current is not None else None,
        pending={"text": source},
        edited_before_tracking=lambda: current.origin != "file",
    )


def text_digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def save_version(actor, spec: ScenarioSpec, source: str, origin: str) -> str:
    """Store `source` as the scenario's new current version unless it is unchanged."""
    digest = text_digest(source)
    scenario = db.session.scalar(select(Scenario).where(Scenario.key == spec.key))
    if scenario is None:
        scenario = Scenario(
            key=spec.key,
            title=spec.title,
            procedure=spec.procedure,
            channel=spec.channel,
            current_version=1,
            required_for=list(spec.required_for),
        )
        db.session.add(scenario)
        db.session.flush()
        _add_version(actor, scenario, 1, source, digest, origin)
        record(actor, "scenario.create", scenario, after={"key": spec.key, "origin": origin})
        return "created"
    current = current_version(scenario)
    if current is not None and current.source_hash == digest:
        return "unchanged"
    before = {"version": scenario.current_version}
    scenario.current_version = max((v.number for v in scenario.versions), default=0) + 1
    scenario.title, scenario.procedure, scenario.channel = spec.title, spec.procedure, spec.channel
    scenario.required_for = list(spec.required_for)
    _add_version(actor, scenario, scenario.current_version, source, digest, origin)
    record(
        actor,
        "scenario.update",
        scenario,
        before=before,
        after={"version": scenario.current_version, "origin": origin},
    )
    return "updated"


def _add_version(actor, scenario, number, source, digest, origin) -> None:
    db.session.add(
        ScenarioVersion(
            scenario=scenario,
            number=number,
            source=source,
            source_hash=digest,
            origin=origin,
            created_by_id=getattr(actor, "id", None),
        )
    )
    db.session.flush()


def current_version(scenario: Scenario) -> ScenarioVersion | None:
    return db.session.scalar(
        select(ScenarioVersion).where(
            ScenarioVersion.scenario_id == scenario.id,
            ScenarioVersion.number == scenario.current_version,
        )
    )


def spec_of(version: ScenarioVersion) -> ScenarioSpec:
    """The parsed scenario of a stored version (parsing is cached per text)."""
    return parse_scenario(version.source, f"{version.scenario.key} v{version.number}")


def scenario_by_key(key: str) -> Scenario | None:
    return db.session.scalar(select(Scenario).where(Scenario.key == key))


def active_scenarios() -> list[Scenario]:
    return list(
        db.session.scalars(
            select(Scenario)
            .where(Scenario.active.is_(True))
            .order_by(Scenario.procedure, Scenario.key)
        )
    )


def find_spec(key: str) -> ScenarioSpec | None:
    """The current text of scenario `key`: as loaded, or else the repository file."""
    scenario = scenario_by_key(key)
    if scenario is not None:
        return spec_of(current_version(scenario))
    return repository_spec(key)


def repository_spec(key: str) -> ScenarioSpec | None:
    """Scenario `key` as written in the repository's file."""
    return next((s for _f, _src, s in _repository_specs() if s.key == key), None)


def _repository_specs():
    directory = library_refs.SCENARIOS_DIR
    out = []
    for file in sorted(directory.glob("*.y*ml")) if directory.is_dir() else []:
        try:
            source = file.read_text(encoding="utf-8")
            out.append((file, source, parse_scenario(source, _display(file))))
        except ScenarioFileError:
            continue
    return out


def check_edited_source(scenario: Scenario | None, text: str) -> ScenarioSpec:
    """Validate a text from the editor for `scenario` (None: a new one).

    Raises ScenarioFileError for any problem, including a changed or already-taken key.
    """
    file = scenario.key if scenario is not None else "new"
    spec = check_source(text, file)
    if scenario is not None and spec.key != scenario.key:
        message = "cannot change; create a new scenario instead"
    elif scenario is None and scenario_by_key(spec.key) is not None:
        message = f"{spec.key!r} exists already"
    else:
        return spec
    raise ScenarioFileError([Problem(file, spec.line_of("key"), "key", message)])


def save_from_editor(actor, scenario: Scenario | None, text: str) -> tuple[ScenarioSpec, str]:
    """Validate and store an edited text as the next version; returns (spec, outcome)."""
    spec = check_edited_source(scenario, text)
    return spec, save_version(actor, spec, text, origin="editor")

"""Scenarios as a kind of library item (trainer.library.kinds): a scenario's version is its
YAML text, so the status page compares and merges the very text trainers edit."""

from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trainer.extensions import db
from trainer.library import register_library_exporter
from trainer.library.kinds import LibraryKind, Version, library_path, register_library_kind
from trainer.roleplay.models import Scenario, ScenarioVersion
from trainer.roleplay.scenario_store import (
    check_directory,
    check_edited_source,
    save_from_editor,
    save_version,
    scenario_by_key,
    text_digest,
)


def file_versions() -> dict[str, Version]:
    return {
        spec.key: Version(text_digest(source), source)
        for _file, source, spec in check_directory(library_path("scenarios"))
    }


def db_versions() -> dict[str, Version]:
    rows = db.session.execute(
        select(Scenario.key, ScenarioVersion.source, ScenarioVersion.source_hash).join(
            ScenarioVersion,
            (ScenarioVersion.scenario_id == Scenario.id)
            & (ScenarioVersion.number == Scenario.current_version),
        )
    )
    return {key: Version(digest, source) for key, source, digest in rows}


def take_file(actor, key: str, text: str) -> None:
    spec = check_edited_source(scenario_by_key(key), text)
    save_version(actor, spec, text, origin="file")


def save_text(actor, key: str, text: str) -> None:
    save_from_editor(actor, scenario_by_key(key), text)


def export_scenarios(out: Path) -> list[Path]:
    """Each scenario's current text as scenarios/KEY.yaml, byte for byte."""
    written = []
    for key, version in sorted(db_versions().items()):
        path = out / "scenarios" / f"{key}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(version.text, encoding="utf-8")
        written.append(path)
    return written


def init_app(app: Flask) -> None:
    register_library_exporter(app, "scenarios", export_scenarios)
    register_library_kind(
        app,
        LibraryKind(
            "scenario", _l("Scenarios"), file_versions, db_versions, take_file, save_text, 40
        ),
    )

"""Internship plans as a kind of library item (trainer.library.kinds): a plan's version is
its YAML text, the one trainers edit in the browser."""

from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trainer.extensions import db
from trainer.internship.models import InternshipPlan
from trainer.internship.plan_files import known_procedures, parse_plan, parse_plan_files
from trainer.internship.plans import save_plan_text, text_digest, upsert_plan
from trainer.library import register_library_exporter
from trainer.library.kinds import LibraryKind, Version, library_path, register_library_kind


def file_versions() -> dict[str, Version]:
    plans = parse_plan_files([library_path("internship")])
    return {plan.key: Version(text_digest(plan.source_text), plan.source_text) for plan in plans}


def db_versions() -> dict[str, Version]:
    rows = db.session.execute(select(InternshipPlan.key, InternshipPlan.source_text))
    return {key: Version(text_digest(text), text or "") for key, text in rows}


def _source_name(key: str) -> str:
    plan = db.session.scalar(select(InternshipPlan).where(InternshipPlan.key == key))
    return (plan.source_name if plan is not None else None) or f"{key}.yaml"


def take_file(actor, key: str, text: str) -> None:
    upsert_plan(parse_plan(text, _source_name(key), known_procedures()), actor)


def save_text(actor, key: str, text: str) -> None:
    save_plan_text(actor, text, _source_name(key))


def export_plans(out: Path) -> list[Path]:
    """Each plan's text under internship/, named as the file it was loaded from."""
    written = []
    for key, text, source in db.session.execute(
        select(InternshipPlan.key, InternshipPlan.source_text, InternshipPlan.source_name)
    ):
        name = Path(source or "").name
        path = out / "internship" / (name if name.endswith((".yaml", ".yml")) else f"{key}.yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text or "", encoding="utf-8")
        written.append(path)
    return written


def init_app(app: Flask) -> None:
    register_library_exporter(app, "internship plans", export_plans)
    register_library_kind(
        app,
        LibraryKind(
            "internship plan",
            _l("Internship plans"),
            file_versions,
            db_versions,
            take_file,
            save_text,
            50,
        ),
    )

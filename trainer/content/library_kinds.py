"""Procedures, forbidden phrases and modules as kinds of library item (trainer.library.kinds):
their file and database versions as the library files write them, and how a trainer takes a
file's version or saves one merged by hand (checked as the whole library is, then versioned)."""

import tempfile
from functools import partial
from pathlib import Path

import yaml
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from trainer.audit.services import record
from trainer.content.library_format import content_hash
from trainer.content.loading import (
    PHRASES_FILE,
    _inline,
    add_revision,
    apply_module,
    apply_phrase,
    apply_procedure,
    dump_yaml,
    export_library,
    library_from_database,
)
from trainer.content.models import ContentModule, Procedure
from trainer.content.validation import read_library
from trainer.extensions import db
from trainer.library.kinds import (
    ItemInvalid,
    LibraryKind,
    Version,
    library_path,
    register_library_kind,
)
from trainer.phrases.models import ForbiddenPhrase
from trainer.source_files import Problem, load_yaml

# kind → (model, folder of its files, apply, list fields written inline, library attribute)
KINDS = {
    "procedure": (Procedure, "procedures", apply_procedure, (), "procedures"),
    "phrase": (ForbiddenPhrase, None, apply_phrase, ("variants", "allowed_contexts"), "phrases"),
    "module": (ContentModule, "modules", apply_module, ("prerequisites",), "modules"),
}


def item_text(kind: str, data: dict) -> str:
    return dump_yaml(_inline(data, *KINDS[kind][3]))


def _versions(kind: str, library) -> dict[str, Version]:
    versions = {}
    for spec in getattr(library, KINDS[kind][4]):
        data = spec.to_data()
        versions[spec.key] = Version(content_hash(data), partial(item_text, kind, data))
    return versions


def file_versions(kind: str) -> dict[str, Version]:
    library, problems = read_library(library_path())
    if problems:
        raise ItemInvalid(problems)
    return _versions(kind, library)


def db_versions(kind: str) -> dict[str, Version]:
    return _versions(kind, library_from_database())


def parse_item(kind: str, key: str, text: str):
    """The spec of `text` checked within the whole library as it stands in the database.
    Raises ItemInvalid naming the line and field of each problem."""
    with tempfile.TemporaryDirectory() as tmp:
        export_library(tmp)
        folder = KINDS[kind][1]
        if folder is None:  # a phrase: one entry of the phrases file
            path = Path(tmp) / PHRASES_FILE
            try:
                entry = load_yaml(text)
            except yaml.YAMLError as exc:
                raise ItemInvalid([Problem("edited text", 1, "", str(exc))]) from exc
            doc = load_yaml(path.read_text(encoding="utf-8"))
            doc["phrases"] = [entry if p["key"] == key else p for p in doc["phrases"]]
            path.write_text(dump_yaml(doc), encoding="utf-8")
        else:
            path = Path(tmp) / folder / f"{key}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        library, problems = read_library(tmp)
    if problems:
        raise ItemInvalid([_shown(p, path) for p in problems])
    spec = next((s for s in getattr(library, KINDS[kind][4]) if s.key == key), None)
    if spec is None:
        raise ItemInvalid([Problem("edited text", 1, "key", f"must stay {key!r}")])
    return spec


def _shown(problem: Problem, path: Path) -> Problem:
    file = "edited text" if problem.file == str(path) else Path(problem.file).name
    return Problem(file, problem.line, problem.field, problem.message)


def save_item(actor, kind: str, key: str, text: str, source: str) -> None:
    """Store `text` as the item's next version (source "file" or "ui"); audited."""
    model, _folder, apply, _inline_fields, _attr = KINDS[kind]
    spec = parse_item(kind, key, text)
    data = spec.to_data()
    row = db.session.scalar(select(model).where(model.key == key))
    if row is None:
        row = model(key=key, version=0)
        if kind == "phrase":
            row.position = 1 + (db.session.scalar(select(func.max(model.position))) or 0)
        db.session.add(row)
    elif content_hash(data) == row.content_hash:
        return
    before = {"version": row.version}
    apply(row, spec)
    row.version += 1
    db.session.flush()
    add_revision(kind, row, data, source, actor)
    record(actor, f"{kind}.library_resolve", row, before=before, after={"version": row.version})


def init_app(app: Flask) -> None:
    labels = {
        "procedure": _l("Procedures"),
        "phrase": _l("Forbidden phrases"),
        "module": _l("Modules"),
    }
    for order, kind in enumerate(KINDS, start=10):
        register_library_kind(
            app,
            LibraryKind(
                name=kind,
                label=labels[kind],
                file_versions=lambda kind=kind: file_versions(kind),
                db_versions=lambda kind=kind: db_versions(kind),
                take_file=lambda actor, key, text, kind=kind: save_item(
                    actor, kind, key, text, "file"
                ),
                save_text=lambda actor, key, text, kind=kind: save_item(
                    actor, kind, key, text, "ui"
                ),
                order=order,
            ),
        )

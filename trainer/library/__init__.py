"""`trainer load-library`: load every content file of the repository into the database.

Features register a loader (scripts library, scenarios, internship plans, question banks);
each loader validates its files first and loads all-or-nothing, idempotently, and three-way
(`sync`): what trainers edited in the UI is never overwritten by a reload.
"""

from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from trainer.config import ROOT
from trainer.extensions import db
from trainer.library import models  # noqa: F401  (models: the library_item table)
from trainer.library.sync import Reconciler, reloading

Loader = Callable[[], str]  # loads from the repo's default paths, returns a one-line summary
Exporter = Callable[[Path], list[Path]]  # writes its items under a scripts_library/ folder


def register_library_exporter(app: Flask, name: str, exporter: Exporter) -> None:
    """Add a writer of the database back to library files (`trainer content export`)."""
    app.extensions["library_exporters"][name] = exporter


def export_everything(out: Path) -> list[Path]:
    """Every registered exporter's files under `out`, laid out as scripts_library/."""
    written = []
    for _name, exporter in sorted(current_app.extensions["library_exporters"].items()):
        written += exporter(out)
    return written


def register_library_loader(app: Flask, name: str, loader: Loader, order: int = 100) -> None:
    """Add a loader to the app's registry (`app.extensions["library_loaders"]`)."""
    app.extensions["library_loaders"][name] = (order, loader)


def load_everything(reconciler: Reconciler | None = None) -> list[tuple[str, str]]:
    """Run every loader three-way; `reconciler` collects what each item's reload did."""
    loaders = current_app.extensions["library_loaders"]
    summaries = []
    with reloading(reconciler):
        for name, (_order, loader) in sorted(loaders.items(), key=lambda item: item[1][0]):
            summaries.append((name, loader()))
            db.session.commit()
    return summaries


@click.command("load-library")
@click.option("--strict", is_flag=True, help="Exit 1 when a file and a UI edit conflict.")
@with_appcontext
def load_library_command(strict: bool) -> None:
    """Load scripts_library/ and question_banks/ (validated, all-or-nothing, idempotent).

    Three-way: an item edited in the UI whose file did not change since the last load stays
    as edited; when both changed, the UI version stays and the file's waits as a conflict
    (see `trainer library status`). Conflicts are not errors unless --strict.
    """
    reconciler = Reconciler()
    for name, summary in load_everything(reconciler):
        click.echo(f"{name}: {summary}")
    for line in reconciler.lines():
        click.echo(line)
    if strict and reconciler.conflicts:
        click.echo(f"{reconciler.conflicts} conflicts", err=True)
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    app.extensions["library_loaders"] = {}
    app.extensions["library_exporters"] = {}
    app.extensions["library_kinds"] = {}  # trainer.library.kinds: what the status page compares
    app.cli.add_command(load_library_command)


__all__ = [
    "ROOT",
    "export_everything",
    "load_everything",
    "register_library_exporter",
    "register_library_loader",
]

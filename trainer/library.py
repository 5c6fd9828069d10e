"""`trainer load-library`: load every content file of the repository into the database.

Features register a loader (scripts library, scenarios, internship plans, question banks);
each loader validates its files first and loads all-or-nothing, idempotently.
"""

from collections.abc import Callable

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from trainer.config import ROOT
from trainer.extensions import db

Loader = Callable[[], str]  # loads from the repo's default paths, returns a one-line summary


def register_library_loader(app: Flask, name: str, loader: Loader, order: int = 100) -> None:
    """Add a loader to the app's registry (`app.extensions["library_loaders"]`)."""
    app.extensions["library_loaders"][name] = (order, loader)


def load_everything() -> list[tuple[str, str]]:
    loaders = current_app.extensions["library_loaders"]
    summaries = []
    for name, (_order, loader) in sorted(loaders.items(), key=lambda item: item[1][0]):
        summaries.append((name, loader()))
        db.session.commit()
    return summaries


@click.command("load-library")
@with_appcontext
def load_library_command() -> None:
    """Load scripts_library/ and question_banks/ (validated, all-or-nothing, idempotent)."""
    for name, summary in load_everything():
        click.echo(f"{name}: {summary}")


def init_app(app: Flask) -> None:
    app.extensions["library_loaders"] = {}
    app.cli.add_command(load_library_command)


__all__ = ["ROOT", "register_library_loader", "load_everything"]

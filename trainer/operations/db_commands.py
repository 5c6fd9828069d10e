"""Additions to Flask-Migrate's `trainer db` group: `copy`, and a guarded `downgrade`."""

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import downgrade as alembic_downgrade
from sqlalchemy import inspect, text

from trainer.extensions import db
from trainer.operations.db_copy import CopyError, copy_database


def current_revision() -> str | None:
    if "alembic_version" not in inspect(db.engine).get_table_names():
        return None
    with db.engine.connect() as conn:
        return conn.scalar(text("SELECT version_num FROM alembic_version"))


def drops_everything(revision: str) -> bool:
    """Would downgrading to `revision` go below the initial migration (empty the database)?"""
    if revision == "base":
        return True
    if not revision.startswith("-") or not revision[1:].isdigit():
        return False
    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    at = current_revision()
    for _step in range(int(revision[1:])):
        if at is None:
            return True
        at = script.get_revision(at).down_revision
    return at is None


@click.command("downgrade")
@click.option("--sql", is_flag=True, help="print the SQL instead of running it")
@click.option("--yes-drop-everything", is_flag=True, help="allow going below the first migration")
@click.argument("revision", default="-1")
@with_appcontext
def guarded_downgrade(revision: str, sql: bool, yes_drop_everything: bool) -> None:
    """Revert to a previous schema version (never below the first without saying so)."""
    if drops_everything(revision) and not yes_drop_everything:
        raise click.ClickException(
            f"downgrading to {revision} drops every table and all data. "
            "Take a backup (`trainer backup --out FILE`) and add --yes-drop-everything."
        )
    alembic_downgrade(revision=revision, sql=sql)


@click.command("copy")
@click.option("--to", "url", required=True, help="the empty target, e.g. postgresql://…")
@with_appcontext
def copy_command(url: str) -> None:
    """Copy every table to another (empty) database and check counts and digests."""
    try:
        report = copy_database(url)
    except CopyError as exc:
        raise click.ClickException(str(exc)) from exc
    for name, table in report["tables"].items():
        click.echo(f"{name:32} {table['rows']:>8}  {table['digest'][:16]}")
    rows = sum(table["rows"] for table in report["tables"].values())
    click.echo(
        f"copied {rows} rows in {len(report['tables'])} tables; counts and digests match; "
        f"schema revision {report['revision']}. Point DATABASE_URL at the new database."
    )


def init_app(app) -> None:
    group = app.cli.commands["db"]  # Flask-Migrate's group, registered by migrate.init_app
    group.add_command(guarded_downgrade)
    group.add_command(copy_command)

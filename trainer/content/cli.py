"""`trainer content validate|load|export`: the scripts library on the command line."""

from pathlib import Path

import click
from flask.cli import AppGroup

from trainer.content.loading import DEFAULT_LIBRARY, LibraryInvalid, export_library, load_library
from trainer.content.validation import read_library
from trainer.extensions import db
from trainer.library import export_everything

content_cli = AppGroup("content", help="The scripts library (procedures, phrases, modules).")

PATH_ARGUMENT = click.argument(
    "path", required=False, type=click.Path(path_type=Path), default=DEFAULT_LIBRARY
)


def _echo_problems(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(problems)} problem(s) found", err=True)


@content_cli.command("validate")
@PATH_ARGUMENT
def validate_command(path: Path) -> None:
    """Check every library file; print file:line: field: problem; exit 1 on any problem."""
    library, problems = read_library(path)
    if problems:
        _echo_problems(problems)
        raise SystemExit(1)
    click.echo(f"{path}: OK — {library.summary()}")


@content_cli.command("load")
@PATH_ARGUMENT
def load_command(path: Path) -> None:
    """Validate, then load all-or-nothing (loading twice changes nothing)."""
    try:
        report = load_library(path)
    except LibraryInvalid as exc:
        db.session.rollback()
        _echo_problems(exc.problems)
        click.echo("nothing was loaded", err=True)
        raise SystemExit(1) from exc
    db.session.commit()
    click.echo(f"{path}: {report.summary()}")


@content_cli.command("export")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
def export_command(out: Path) -> None:
    """Write the database back as scripts_library/ files under --out: procedures, phrases,
    modules, programmes, scenarios and internship plans, UI edits included. Commit them and
    the next `load-library` sees no difference."""
    files = export_library(out) + export_everything(out)
    click.echo(f"wrote {len(files)} files to {out}")

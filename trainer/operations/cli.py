"""`trainer backup` and `trainer restore`."""

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from trainer.operations.backup import BackupError, create_backup, restore_backup


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(out: Path) -> None:
    """Write a consistent snapshot (database, stored files, development key) to OUT."""
    try:
        manifest = create_backup(out)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    files = manifest["stored_files"]
    click.echo(
        f"{out}: {manifest['database']} database at {manifest['schema_revision']}, "
        f"{files['count']} stored files ({files['certificates']} certificate PDFs, "
        f"kept in {files['store']})"
    )


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="do not ask; the current data is replaced")
@with_appcontext
def restore_command(archive: Path, yes: bool) -> None:
    """Replace this site's database and stored files with those in ARCHIVE (stop the site first)."""
    if not yes:
        click.confirm(
            "This replaces the current database and certificate files. Go on?", abort=True
        )
    try:
        manifest = restore_backup(archive)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"restored the backup of {manifest['created_at']} "
        f"(schema {manifest['schema_revision']}); run `trainer db upgrade` if the code is newer"
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

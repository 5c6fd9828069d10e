"""`trainer storage …`: where files are kept, and moving them there (from the old instance/
folder, or from the database to S3)."""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from trainer.extensions import db
from trainer.storage.backends import DatabaseStore
from trainer.storage.models import StoredFile

storage_cli = AppGroup("storage", help="Stored files: certificate PDFs and question assets.")


def legacy_certificate_folder() -> Path:
    """Where releases before the storage backends wrote certificate PDFs."""
    configured = os.environ.get("TRAINER_CERTIFICATE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "certificates"


@storage_cli.command("info")
def info_command() -> None:
    """Print the configured store and how many files it holds."""
    store = current_app.extensions["storage"]
    where = getattr(store, "url", "the database (table stored_file)")
    count = sum(1 for _ in store.keys(""))
    click.echo(f"storage: {store.name} — {where}; {count} files")


@storage_cli.command("migrate")
@click.option(
    "--from-folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The old certificate folder (default: instance/certificates or TRAINER_CERTIFICATE_DIR).",
)
@click.option(
    "--from-database",
    is_flag=True,
    help="Also copy the files kept in the database into the configured store (moving to S3).",
)
def migrate_command(from_folder: Path | None, from_database: bool) -> None:
    """Copy stored files into the configured store; idempotent, each copy read back and checked.

    Certificate PDFs in the old folder become `certificates/<year>/<serial>.pdf`. The folder is
    left in place: remove it once `trainer storage info` and a download look right."""
    store = current_app.extensions["storage"]
    folder = from_folder or legacy_certificate_folder()
    copied = skipped = 0
    if folder.is_dir():
        for path in sorted(folder.rglob("*.pdf")):
            key = "certificates/" + path.relative_to(folder).as_posix()
            data = path.read_bytes()
            if store.exists(key) and store.get(key) == data:
                skipped += 1
                continue
            store.put(key, data)
            db.session.commit()
            if store.get(key) != data:
                raise click.ClickException(f"{key}: the stored copy differs from {path}")
            copied += 1
        click.echo(f"{folder}: {copied} files copied, {skipped} already stored")
    elif from_folder is not None:
        raise click.UsageError(f"--from-folder: {folder} is not a folder")
    else:
        click.echo(f"{folder}: no old certificate folder, nothing to copy")
    if from_database:
        if isinstance(store, DatabaseStore):
            raise click.UsageError("--from-database: the configured store is the database itself")
        moved = 0
        for key in db.session.scalars(select(StoredFile.key).order_by(StoredFile.key)).all():
            data = db.session.scalar(select(StoredFile.content).where(StoredFile.key == key))
            store.put(key, data)
            if store.get(key) != data:
                raise click.ClickException(f"{key}: the stored copy differs from the database")
            moved += 1
        db.session.rollback()
        click.echo(
            f"database: {moved} files copied to {store.name}; "
            "the rows stay until you delete them (DELETE FROM stored_file)"
        )

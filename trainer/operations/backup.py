"""A consistent snapshot of a site, and putting it back: the database (SQLite's online backup
or pg_dump), the stored files (certificate PDFs, question assets), and the generated
development key.

The archive is a .tar.gz with a manifest (what, when, which schema revision, each file's
SHA-256). Stored files kept in the database travel inside its dump; kept in S3 they are added
under `files/<key>` and put back into whatever store the restoring site uses. Restoring a
database without its files would leave downloads failing their hash check, so both travel
together.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from trainer import clock, storage
from trainer.extensions import db
from trainer.storage import DatabaseStore

SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
FILES = "files"
LEGACY_PDFS = "certificates"  # archives of releases that kept PDFs in instance/certificates


class BackupError(RuntimeError):
    """The backup or restore could not be done; the message says why."""


def database_url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def libpq_url(url) -> str:
    """The URL as pg_dump/pg_restore read it (no SQLAlchemy driver suffix)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def dump_database(workdir: Path) -> Path:
    url = database_url()
    if url.get_backend_name() == "sqlite":
        target = workdir / SQLITE_MEMBER
        source = sqlite3.connect(url.database)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)  # a consistent copy while the site keeps running
        finally:
            destination.close()
            source.close()
        return target
    target = workdir / PG_MEMBER
    run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), libpq_url(url)])
    return target


def run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()[:500]}") from exc


def key_file() -> Path | None:
    """The generated development key, when this site runs on one (no SECRET_KEY set)."""
    if os.environ.get("SECRET_KEY"):
        return None
    path = Path(current_app.instance_path) / "secret_key"
    return path if path.is_file() else None


def schema_revision() -> str | None:
    try:
        revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception:  # a database built without migrations (tests) has no version table
        revision = None
    db.session.rollback()
    return revision


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create_backup(out: Path) -> dict:
    """Write the archive to `out` (atomically) and return its manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        members: list[tuple[Path, str]] = [(dump_database(workdir), "")]
        keys = list(storage.keys())
        db.session.rollback()
        if not isinstance(storage.current_store(), DatabaseStore):  # else inside the dump
            for key in keys:
                path = workdir / FILES / key
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(storage.get(key))
                members.append((path, f"{FILES}/{key}"))
        if (key := key_file()) is not None:
            members.append((key, "secret_key"))
        members = [(path, name or path.name) for path, name in members]
        manifest = {
            "created_at": clock.now().isoformat(),
            "database": database_url().get_backend_name(),
            "schema_revision": schema_revision(),
            "stored_files": {
                "store": storage.current_store().name,
                "count": len(keys),
                "certificates": sum(k.startswith("certificates/") for k in keys),
            },
            "files": {name: sha256_of(path) for path, name in members},
        }
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            for path, name in members:
                archive.add(path, arcname=name)
        partial.replace(out)
    return manifest


def read_archive(archive_path: Path, workdir: Path) -> dict:
    with tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(workdir, filter="data")  # no paths outside workdir, no devices
    manifest = json.loads((workdir / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        if sha256_of(workdir / name) != digest:
            raise BackupError(f"{name} in the archive does not match its recorded SHA-256")
    return manifest


def restore_database(workdir: Path, manifest: dict) -> None:
    url = database_url()
    kind = url.get_backend_name()
    if kind != manifest["database"]:
        raise BackupError(
            f"the archive holds a {manifest['database']} database, this site uses {kind}; "
            "restore it on a like site, then `trainer db copy` to move it"
        )
    db.session.remove()
    db.engine.dispose()  # no pooled connection may outlive the old database
    if kind == "sqlite":
        source = sqlite3.connect(workdir / SQLITE_MEMBER)
        destination = sqlite3.connect(url.database)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
        return
    run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            libpq_url(url),
            str(workdir / PG_MEMBER),
        ]
    )


def restore_files(workdir: Path) -> int:
    """Put the archive's files into this site's store; returns how many."""
    restored = 0
    for folder, prefix in ((workdir / FILES, ""), (workdir / LEGACY_PDFS, "certificates/")):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            storage.put(prefix + path.relative_to(folder).as_posix(), path.read_bytes())
            db.session.commit()  # the database store: one short transaction per file
            restored += 1
    return restored


def restore_backup(archive_path: Path) -> dict:
    """Put the database, the stored files and (if present) the development key back."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        manifest = read_archive(archive_path, workdir)
        restore_database(workdir, manifest)
        restore_files(workdir)
        if (workdir / "secret_key").is_file() and not os.environ.get("SECRET_KEY"):
            target = Path(current_app.instance_path) / "secret_key"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(workdir / "secret_key", target)
            target.chmod(0o600)
    return manifest

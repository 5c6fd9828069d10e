"""Stored files (certificate PDFs, question assets): in the database, or in S3-compatible
object storage when TRAINER_STORAGE_URL=s3://bucket/prefix. Nothing is kept on local disk,
so any app instance serves what another stored.

The store is chosen once by `create_app` and kept in `app.extensions["storage"]`; features
call the module functions below, which find it there.
"""

from collections.abc import Iterable, Iterator

from flask import Flask, current_app

from trainer.storage import models  # noqa: F401  (the stored_file table)
from trainer.storage.backends import (
    DatabaseStore,
    FileStore,
    S3Store,
    StorageError,
    store_from_url,
)
from trainer.storage.cli import storage_cli


def init_app(app: Flask) -> None:
    app.extensions["storage"] = store_from_url(
        app.config.get("STORAGE_URL"), app.config.get("S3_ENDPOINT_URL")
    )
    app.cli.add_command(storage_cli)


def current_store() -> FileStore:
    return current_app.extensions["storage"]


def put(key: str, data: bytes) -> None:
    current_store().put(key, data)


def get(key: str) -> bytes:
    """The stored bytes; FileNotFoundError when there are none."""
    return current_store().get(key)


def exists(key: str) -> bool:
    return current_store().exists(key)


def delete(key: str) -> None:
    current_store().delete(key)


def keys(prefix: str = "") -> Iterator[str]:
    return current_store().keys(prefix)


def missing(wanted: Iterable[str]) -> set[str]:
    return current_store().missing(wanted)


__all__ = [
    "DatabaseStore",
    "FileStore",
    "S3Store",
    "StorageError",
    "current_store",
    "delete",
    "exists",
    "get",
    "init_app",
    "keys",
    "missing",
    "put",
]

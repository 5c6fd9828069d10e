"""Where certificate PDFs are kept: one small interface, today a folder on disk.

`save(key, data)` and `load(key)` are all the rest of the feature uses, so moving the files to
the database or an object store (scale-out) changes this module only. Writes are atomic: the
bytes go to a temporary file that replaces the target, and a failed write (disk full, folder
not writable) leaves neither a partial file nor the temporary one behind.
"""

import os
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from trainer.errors import DomainError


class StorageError(DomainError, OSError):
    """A PDF could not be stored or read; the message is shown to trainers."""


def certificate_dir() -> Path:
    """CERTIFICATE_DIR (config or TRAINER_CERTIFICATE_DIR), else <instance>/certificates."""
    config = current_app.config
    configured = config.get("CERTIFICATE_DIR") or os.environ.get("TRAINER_CERTIFICATE_DIR")
    if configured:
        return Path(configured)
    base = config.get("INSTANCE_FILES") or current_app.instance_path
    return Path(base) / "certificates"


def save(key: str, data: bytes) -> None:
    path = certificate_dir() / key
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(
            _l("Cannot store %(key)s: %(reason)s"), key=key, reason=exc.strerror or str(exc)
        ) from exc


def load(key: str) -> bytes:
    """The stored bytes; FileNotFoundError when there are none."""
    return (certificate_dir() / key).read_bytes()


def exists(key: str) -> bool:
    return (certificate_dir() / key).is_file()


def remove(key: str) -> None:
    """Forget a stored file (anonymisation replaces a PDF that carried the holder's name)."""
    (certificate_dir() / key).unlink(missing_ok=True)

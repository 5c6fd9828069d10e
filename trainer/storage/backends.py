"""Two places to keep files: the database (default) and S3-compatible object storage.

Both answer the same five calls, `put`, `get`, `exists`, `delete`, `keys`, plus `missing`
(which of many keys are absent, in one query or listing). `get` raises FileNotFoundError for
an absent key. `put` on the database joins the caller's transaction (the caller commits, so a
file and the row that names it commit together); on S3 the object is written at once, which
is harmless if the transaction then rolls back (the key is written again on retry).
"""

import hashlib
from collections.abc import Iterable, Iterator
from urllib.parse import urlparse

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.storage.models import StoredFile


class StorageError(DomainError, OSError):
    """A file could not be stored or read; the message is shown to trainers."""


def storage_error(key: str, exc: Exception) -> StorageError:
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return StorageError(_l("Cannot store %(key)s: %(reason)s"), key=key, reason=reason[:300])


class FileStore:
    """The interface; `name` is what `trainer storage info` and the logs show."""

    name = "abstract"

    def put(self, key: str, data: bytes) -> None:
        raise NotImplementedError

    def get(self, key: str) -> bytes:
        raise NotImplementedError

    def exists(self, key: str) -> bool:
        raise NotImplementedError

    def delete(self, key: str) -> None:
        raise NotImplementedError

    def keys(self, prefix: str = "") -> Iterator[str]:
        raise NotImplementedError

    def missing(self, keys: Iterable[str]) -> set[str]:
        wanted = set(keys)
        return wanted - set(self.keys()) if wanted else set()


class DatabaseStore(FileStore):
    """Files as rows of `stored_file`, in the caller's session and transaction."""

    name = "database"

    def put(self, key: str, data: bytes) -> None:
        row = StoredFile(
            key=key, content=data, size=len(data), sha256=hashlib.sha256(data).hexdigest()
        )
        try:
            db.session.merge(row)
            db.session.flush()
        except SQLAlchemyError as exc:
            raise storage_error(key, exc) from exc

    def get(self, key: str) -> bytes:
        data = db.session.scalar(select(StoredFile.content).where(StoredFile.key == key))
        if data is None:
            raise FileNotFoundError(key)
        return data

    def exists(self, key: str) -> bool:
        return db.session.scalar(select(StoredFile.key).where(StoredFile.key == key)) is not None

    def delete(self, key: str) -> None:
        db.session.execute(delete(StoredFile).where(StoredFile.key == key))

    def keys(self, prefix: str = "") -> Iterator[str]:
        query = select(StoredFile.key).order_by(StoredFile.key)
        if prefix:
            query = query.where(StoredFile.key.startswith(prefix, autoescape=True))
        yield from db.session.scalars(query).all()

    def missing(self, keys: Iterable[str]) -> set[str]:
        wanted = list(set(keys))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):  # under every database's parameter limit
            chunk = wanted[start : start + 500]
            found.update(
                db.session.scalars(select(StoredFile.key).where(StoredFile.key.in_(chunk)))
            )
        return set(wanted) - found


class S3Store(FileStore):
    """Objects under `s3://bucket/prefix/`; boto3 finds credentials the standard AWS way
    (AWS_ACCESS_KEY_ID …), the endpoint in TRAINER_S3_ENDPOINT_URL or AWS_ENDPOINT_URL."""

    name = "s3"

    def __init__(self, url: str, endpoint_url: str | None = None, client=None):
        parsed = urlparse(url)
        if parsed.scheme != "s3" or not parsed.netloc:
            raise ValueError(f"TRAINER_STORAGE_URL must look like s3://bucket/prefix, not {url!r}")
        self.bucket = parsed.netloc
        self.prefix = parsed.path.strip("/") + "/" if parsed.path.strip("/") else ""
        self.url = url
        self.endpoint_url = endpoint_url
        self._client = client

    @property
    def client(self):
        if self._client is None:  # boto3 is slow to import: only sites that use S3 pay for it
            import boto3  # noqa: PLC0415
            from botocore.config import Config  # noqa: PLC0415

            config = Config(
                connect_timeout=3, read_timeout=10, retries={"max_attempts": 3, "mode": "standard"}
            )
            self._client = boto3.client("s3", endpoint_url=self.endpoint_url, config=config)
        return self._client

    def _errors(self):
        # loaded with boto3 (above), when S3 is first used
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

        return BotoCoreError, ClientError

    def put(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.prefix + key,
                Body=data,
                Metadata={"sha256": hashlib.sha256(data).hexdigest()},
            )
        except self._errors() as exc:
            raise storage_error(key, exc) from exc

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
        except self._errors()[1] as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from exc
            raise
        return response["Body"].read()

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)
        except self._errors()[1] as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)

    def keys(self, prefix: str = "") -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix) :]

    def missing(self, keys: Iterable[str]) -> set[str]:
        wanted = set(keys)
        if not wanted:
            return set()
        # one listing of the common folder instead of a request per key
        common = min(wanted)
        for key in wanted:
            while not key.startswith(common):
                common = common[:-1]
        return wanted - set(self.keys(common))


def store_from_url(url: str | None, endpoint_url: str | None = None) -> FileStore:
    """`None`/"" or `database`: the database; `s3://bucket/prefix`: S3."""
    if not url or url == "database":
        return DatabaseStore()
    if url.startswith("s3://"):
        return S3Store(url, endpoint_url)
    raise ValueError(f"TRAINER_STORAGE_URL: unknown storage {url!r} (use s3://bucket/prefix)")

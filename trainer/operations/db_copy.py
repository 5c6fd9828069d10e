"""Moving a site's data to another database (SQLite → PostgreSQL when a site outgrows it).

Every table of the models is copied in foreign-key order, the schema revision is carried
over, PostgreSQL's id sequences are moved past the copied ids, and then each table's row
count and a digest of every row (values normalised: UTC datetimes, sorted JSON) are compared
between the two databases. The target must be empty.
"""

import hashlib
import json
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Engine, Integer, MetaData, create_engine, func, inspect, select, text

from trainer.db import as_utc
from trainer.errors import DomainError
from trainer.extensions import db

CHUNK = 1000


class CopyError(DomainError, RuntimeError):
    """The copy was refused or did not match; the message says what."""


def target_engine(url: str) -> Engine:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    return create_engine(url)


def normalised(value):
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bytes):
        return value.hex()
    return value


def table_digest(engine: Engine, table) -> tuple[int, str]:
    """(row count, SHA-256 over every row in primary-key order)."""
    digest = hashlib.sha256()
    order = list(table.primary_key.columns) or list(table.columns)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(table))
        for row in conn.execute(select(table).order_by(*order)):
            values = [normalised(v) for v in row]
            digest.update(json.dumps(values, ensure_ascii=False, default=str).encode())
    return count, digest.hexdigest()


def check_empty(engine: Engine, metadata: MetaData) -> None:
    existing = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in existing and conn.scalar(select(func.count()).select_from(table)):
                raise CopyError(
                    _l("the target database is not empty (%(table)s has rows)"), table=table.name
                )


def copy_rows(source: Engine, target: Engine, metadata: MetaData) -> dict[str, int]:
    copied = {}
    with source.connect() as reading, target.begin() as writing:
        for table in metadata.sorted_tables:
            rows = reading.execute(select(table)).mappings()
            total = 0
            while chunk := rows.fetchmany(CHUNK):
                writing.execute(table.insert(), [dict(row) for row in chunk])
                total += len(chunk)
            copied[table.name] = total
    return copied


def carry_revision(source: Engine, target: Engine) -> str | None:
    if "alembic_version" not in inspect(source).get_table_names():
        return None
    with source.connect() as conn:
        revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
    with target.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS alembic_version "
                "(version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
            )
        )
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": revision})
    return revision


def advance_sequences(target: Engine, metadata: MetaData) -> None:
    if target.dialect.name != "postgresql":
        return
    with target.begin() as conn:
        for table in metadata.sorted_tables:
            keys = list(table.primary_key.columns)
            if len(keys) != 1 or not isinstance(keys[0].type, Integer):
                continue
            sequence = conn.scalar(
                text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": f'"{table.name}"', "c": keys[0].name},
            )
            if sequence:
                conn.execute(
                    text(
                        f'SELECT setval(:s, COALESCE((SELECT MAX("{keys[0].name}") '
                        f'FROM "{table.name}"), 0) + 1, false)'
                    ),
                    {"s": sequence},
                )


def copy_database(url: str) -> dict:
    """Copy every table of this site into the (empty) database at `url`; returns a report
    {table: {"rows": n, "digest": sha}} after checking both sides agree."""
    metadata = db.metadata
    source, target = db.engine, target_engine(url)
    try:
        check_empty(target, metadata)
        metadata.create_all(target)
        copy_rows(source, target, metadata)
        revision = carry_revision(source, target)
        advance_sequences(target, metadata)
        report = {}
        for table in metadata.sorted_tables:
            before, after = table_digest(source, table), table_digest(target, table)
            if before != after:
                raise CopyError(
                    f"{table.name}: {before[0]} rows here, {after[0]} there, "
                    "or their digests differ"
                )
            report[table.name] = {"rows": before[0], "digest": before[1]}
        return {"revision": revision, "tables": report}
    finally:
        target.dispose()

"""Declarative base with naming conventions (clean Alembic diffs) and shared column helpers,
and how SQLite transactions begin (BEGIN IMMEDIATE when the transaction will write)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from decimal import Decimal

import psycopg
from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy import JSON, DateTime, MetaData, Numeric, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

from trainer import clock

# A writer queues this long for the lock, then the request answers 503 and is retried:
# under a burst, waiting beats failing, but not past the worker timeout.
SQLITE_BUSY_TIMEOUT_MS = 10_000

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ExactNumber(TypeDecorator):
    """Points, fractions, scores and percentages: stored as exact decimals (NUMERIC), read as
    the floats the code computes with. Every such value is a short decimal, so its float's
    shortest repr is that decimal: binding `Decimal(repr(x))` stores exactly the number the
    grader computed (issue 13), and sums and averages in SQL are exact on PostgreSQL.
    SQLite has no decimal type and keeps REAL, as before."""

    impl = Numeric
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(asdecimal=False)

    def process_bind_param(self, value, dialect):
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(repr(value))


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        # Every float in this schema is a mark of some kind: see ExactNumber.
        type_annotation_map={
            dict: JSON,
            list: JSON,
            datetime: DateTime(timezone=True),
            float: ExactNumber(),
        },
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every datetime we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# ---- SQLite: WAL, and write transactions that take the write lock first ------------------
#
# A deferred transaction that reads and then writes must upgrade its lock; under WAL, when
# another writer committed in between, SQLite refuses at once ("database is locked") without
# waiting for the busy timeout (a SAVEPOINT, which the driver does not precede with BEGIN,
# opens exactly such a transaction). A transaction that will write therefore begins with
# BEGIN IMMEDIATE and queues for the lock up front, emitted from SQLAlchemy's "begin" event as
# in its documented pysqlite recipe. Requests decide by method: GET and HEAD never write;
# POSTs, CLI commands and jobs do. Reading transactions keep the driver's own behaviour
# (reads see the latest commit; BEGIN comes just before a first write).

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_write_intent: ContextVar[bool | None] = ContextVar("trainer_write_intent", default=None)


@contextmanager
def write_intent(writes: bool = True) -> Iterator[None]:
    """Declare whether transactions begun in this block will write (jobs, worker threads)."""
    token = _write_intent.set(writes)
    try:
        yield
    finally:
        _write_intent.reset(token)


def transaction_will_write() -> bool:
    intent = _write_intent.get()
    if intent is not None:
        return intent
    if has_request_context():
        return request.method not in SAFE_METHODS
    if has_app_context():
        return current_app.config.get("SQLITE_IMMEDIATE_OUTSIDE_REQUESTS", True)
    return True


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # WAL lets readers and one writer work at once; SQLite ignores foreign keys unless asked.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        timeout = SQLITE_BUSY_TIMEOUT_MS
        if has_app_context():
            timeout = current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", timeout)
        cursor.execute(f"PRAGMA busy_timeout={int(timeout)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite" and transaction_will_write():
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_busy_error(error: BaseException) -> bool:
    """The database could not take a lock in time (SQLite busy; PostgreSQL lock timeout,
    deadlock or serialization failure): nothing was written, trying again is safe."""
    original = getattr(error, "orig", error)
    if type(original).__module__.startswith("sqlite3"):
        text = str(original).lower()
        return "locked" in text or "busy" in text
    return getattr(original, "sqlstate", None) in {"55P03", "40001", "40P01"}


# SQLSTATEs of a database that is there but not answering in time or not accepting work:
# statement timeout / cancel, admin shutdown, crash, "cannot connect now", connection classes.
UNAVAILABLE_SQLSTATES = frozenset({"57014", "57P01", "57P02", "57P03"})


def is_unavailable_error(error: BaseException) -> bool:
    """The database cannot be reached or did not answer within its timeout (connection
    refused or timed out, statement timeout, shutting down). Like a busy error, nothing was
    committed; unlike it, the page around the error cannot use the database either."""
    original = getattr(error, "orig", error)
    if type(original).__module__.startswith("sqlite3"):
        text = str(original).lower()
        return "unable to open" in text or "disk i/o" in text
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate is None:  # psycopg raises connection failures without a SQLSTATE
        return isinstance(original, psycopg.OperationalError)
    return sqlstate in UNAVAILABLE_SQLSTATES or sqlstate.startswith("08")

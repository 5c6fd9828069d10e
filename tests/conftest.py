"""Fixtures shared by every feature's tests: the app, a real database, clients and factories.

The schema is built once per run; every test ends by emptying the tables, so tests see a
clean database and the live server used by browser tests sees the same one. With
TEST_DATABASE_URL set (PostgreSQL), a fresh database is created for the run and dropped after.
Data that is expensive to build (the shipped library and the demo seed) is built once per run
and kept as a snapshot that later tests restore in milliseconds (`demo_data`).

Tests marked `slow` (seconds each: the gunicorn load run …) run in CI (`CI=true`, `.ci/run`)
or with `--run-slow`; a plain `make test` skips them.
"""

import os
import re
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask, current_app, g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, exists, literal, select, text, union_all
from sqlalchemy.engine import make_url

from trainer import clock, create_app
from trainer.accounts.services import create_hall, create_user
from trainer.extensions import db as _db
from trainer.extensions import limiter
from trainer.permissions import Role
from trainer.training.services import create_cohort, enrol, get_or_create_programme

PASSWORD = "correct-horse-1"


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow",
        action="store_true",
        help="also run the tests marked slow (CI=true does the same)",
    )
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="browser tests save full-page screenshots in tests/artifacts/ for a human to look at",
    )


def run_slow_tests(config) -> bool:
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    return ci or config.getoption("--run-slow") or "slow" in (config.getoption("-m") or "")


def pytest_collection_modifyitems(config, items):
    if run_slow_tests(config):
        return
    skip = pytest.mark.skip(reason="slow: runs in CI (CI=true, .ci/run) or with --run-slow")
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)


@contextmanager
def fresh_database(sqlite_dir: Path, prefix: str) -> Iterator[str]:
    """A new empty database: a SQLite file, or with TEST_DATABASE_URL a PostgreSQL database
    created for the caller and dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{sqlite_dir / f'{prefix}.db'}"
        return
    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with fresh_database(tmp_path_factory.mktemp("db"), "trainer_test") as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashes; production uses scrypt
            "RATELIMIT_STORAGE_URI": "memory://",
            # Feature tests travel days ahead with a signed-in client; the session timeouts
            # are tested with the production values in tests/security (`session_timeouts`).
            "SESSION_IDLE_MINUTES": 60 * 24 * 400,
            "SESSION_MAX_HOURS": 24 * 400,
            "SERVER_NAME": None,
            # Outside requests the test's own session keeps the driver's deferred transactions,
            # so it never holds SQLite's write lock while the live server (browser tests) or a
            # test's threads write; requests, jobs and write_intent() still BEGIN IMMEDIATE.
            "SQLITE_IMMEDIATE_OUTSIDE_REQUESTS": False,
        }
    )
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


class DatabaseSnapshots:
    """Named copies of the test database's content, taken once per run and restored per test.

    SQLite: the backup API copies the database file page by page (safe under WAL).
    PostgreSQL: a template database; restoring recreates the test database from it
    (`CREATE DATABASE … TEMPLATE …`). The app keeps its URL either way. Stored files
    (certificate PDFs, question assets) are rows of the database and travel with it.
    """

    def __init__(self, database_url: str, directory: Path):
        self.url = make_url(database_url)
        self.directory = directory
        self.taken: set[str] = set()
        self.admin = None
        if self.url.get_backend_name() == "postgresql":
            base = make_url(os.environ["TEST_DATABASE_URL"])
            admin_url = self.url.set(database=base.database or "postgres")
            self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def _snapshot_name(self, name: str) -> str:
        return f"{self.url.database}__{name}"

    @staticmethod
    def _release_connections() -> None:
        _db.session.remove()
        _db.engine.dispose()

    def _copy_postgresql(self, source: str, target: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": source},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))

    @staticmethod
    def _copy_sqlite(source: str, target: str) -> None:
        src, dst = sqlite3.connect(source), sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()

    def take(self, name: str) -> None:
        self._release_connections()
        if self.admin is not None:
            self._copy_postgresql(self.url.database, self._snapshot_name(name))
        else:
            self._copy_sqlite(self.url.database, str(self.directory / f"{name}.db"))
        self.taken.add(name)

    def restore(self, name: str) -> None:
        self._release_connections()
        if self.admin is not None:
            self._copy_postgresql(self._snapshot_name(name), self.url.database)
        else:
            self._copy_sqlite(str(self.directory / f"{name}.db"), self.url.database)

    def restore_or_build(self, name: str, build) -> None:
        """Restore snapshot `name`, or run `build()` into the empty database and keep it."""
        if not database_is_empty():
            raise RuntimeError(
                f"the {name!r} snapshot replaces the whole database: request its fixture"
                " before any fixture that creates rows"
            )
        if name in self.taken:
            self.restore(name)
            return
        build()
        _db.session.commit()
        self.take(name)

    def drop_all(self) -> None:
        if self.admin is None:
            return
        with self.admin.connect() as conn:
            for name in self.taken:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self._snapshot_name(name)}"'))
        self.admin.dispose()


def tables_with_rows(conn) -> set[str]:
    """The tables holding at least one row, asked in one statement."""
    probes = union_all(
        *(
            select(literal(table.name).label("name")).where(exists().select_from(table))
            for table in _db.metadata.sorted_tables
        )
    )
    return set(conn.scalars(probes))


def database_is_empty() -> bool:
    with _db.engine.connect() as conn:
        return not tables_with_rows(conn)


@pytest.fixture(scope="session")
def snapshots(app, database_url, tmp_path_factory):
    snapshots = DatabaseSnapshots(database_url, tmp_path_factory.mktemp("snapshots"))
    yield snapshots
    with app.app_context():
        snapshots._release_connections()
    snapshots.drop_all()


@pytest.fixture
def demo_data(app, snapshots, runner):
    """The shipped library and the demo seed (`load-library`, `seed-demo`), built once per run.

    It replaces the whole database, so request it before fixtures that create rows."""

    def build():
        for command in (["load-library"], ["seed-demo"]):
            result = runner.invoke(args=command)
            assert result.exit_code == 0, result.output

    snapshots.restore_or_build("demo", build)


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Give each test an app context and empty every table afterwards."""
    if "app" not in request.fixturenames and not request.node.get_closest_marker("e2e"):
        yield
        return
    app = request.getfixturevalue("app")
    # Browser tests see the product's default language; other tests read English messages
    # unless marked @pytest.mark.locale("zh_CN").
    marker = request.node.get_closest_marker("locale")
    default = "zh_CN" if request.node.get_closest_marker("e2e") else "en"
    app.config["BABEL_DEFAULT_LOCALE"] = marker.args[0] if marker else default
    with app.app_context():
        yield
        _db.session.rollback()
        _db.session.remove()
        empty_all_tables()
        clock.set_offset(timedelta(0))
    limiter.reset()


def empty_all_tables() -> None:
    """Delete the rows a test left, and on PostgreSQL restart the id sequences it moved.

    Only tables holding rows are touched: most tests write to a handful of the schema's
    tables, and TRUNCATE of every table cost PostgreSQL ≈ 280 ms per test (a new file per
    table), DELETE of the few written ones a few ms."""
    with _db.engine.begin() as conn:
        written = tables_with_rows(conn)
        for table in reversed(_db.metadata.sorted_tables):
            if table.name in written:
                conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            # Ids start at 1 again as after TRUNCATE … RESTART IDENTITY (SQLite reuses them).
            conn.execute(
                text(
                    "SELECT setval(format('%I.%I', schemaname, sequencename), 1, false)"
                    " FROM pg_sequences"
                    " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                )
            )


@pytest.fixture
def session_timeouts(app, monkeypatch):
    """The production session timeouts: 30 idle minutes, 12 hours in all."""
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 30)
    monkeypatch.setitem(app.config, "SESSION_MAX_HOURS", 12)


@contextmanager
def throwaway_app(config: dict) -> Iterator[Flask]:
    """An app of the test's own (other settings, or another database) whose connections are
    closed when the block ends, so none is left open for the garbage collector."""
    other = create_app(config)
    try:
        yield other
    finally:
        with other.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def make_app(app):
    """Another app on the test database, with the test settings and those of the test's
    choosing; every app made is disposed after the test."""
    with ExitStack() as stack:

        def make(**config):
            base = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "PASSWORD_HASH_METHOD")}
            settings = {
                **base,
                "TESTING": True,
                "SECRET_KEY": "throwaway",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_STORAGE_URI": "memory://",
                "BABEL_DEFAULT_LOCALE": "en",
            }
            return stack.enter_context(throwaway_app({**settings, **config}))

        yield make
    # The limiter is one object shared by every app in the process: give it back to the
    # session's app, and forget that the last app's storage was dead.
    limiter._storage_dead = False
    limiter.init_app(app)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


class CsrfClient(FlaskClient):
    """Requests share the test's app context, hence `g`, where Flask-WTF keeps the signed token
    of the session's secret; logging in starts a new session, so each request starts afresh as
    it does in a server (the app forgets the cached user the same way: trainer/web.py)."""

    def open(self, *args, **kwargs):
        g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
        return super().open(*args, **kwargs)


@pytest.fixture
def csrf_client(app):
    """A client with CSRF protection on (the rest of the suite runs with it off for brevity).

    The same app and database as `client`: only the setting changes, for this test."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield CsrfClient(app, app.response_class, use_cookies=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def csrf_token(html: str) -> str:
    """The token of a page's form field or `<meta name="csrf-token">`."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# ---- factories -------------------------------------------------------------------------


@pytest.fixture
def make_hall(db):
    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        fields.setdefault("code", f"H{n:03d}")
        fields.setdefault("name", f"测试营业厅{n}")
        hall = create_hall(None, **fields)
        db.session.commit()
        return hall

    return make


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 100_000))

    def make(*roles: Role, **fields):
        n = next(counter)
        fields.setdefault("employee_no", f"U{n:05d}")
        fields.setdefault("name", f"用户{n}")
        fields.setdefault("password", PASSWORD)
        user = create_user(None, roles=set(roles) or {Role.TRAINEE}, **fields)
        db.session.commit()
        return user

    return make


@pytest.fixture
def programme(db):
    programme = get_or_create_programme("window-staff", "营业厅窗口服务人员上岗培训")
    db.session.commit()
    return programme


@pytest.fixture
def make_cohort(db, make_user, programme):
    def make(trainer=None, start_date: date | None = None, **fields):
        trainer = trainer or make_user(Role.TRAINER)
        cohort = create_cohort(
            trainer,
            name=fields.get("name", "2026年第1期"),
            programme=programme,
            trainer=trainer,
            start_date=start_date or clock.today(),
        )
        db.session.commit()
        return cohort

    return make


@pytest.fixture
def make_enrolment(db, make_user, make_cohort):
    def make(trainee=None, cohort=None):
        trainee = trainee or make_user(Role.TRAINEE)
        enrolment = enrol(None, trainee, cohort or make_cohort())
        db.session.commit()
        return enrolment

    return make


@pytest.fixture
def login_as(client):
    """Log `client` in as `user` through the real login form."""

    def login(user, password: str = PASSWORD):
        response = client.post(
            "/login", data={"employee_no": user.employee_no, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return login

"""Fixtures shared by every feature's tests: the app, a real database, clients and factories.

The schema is built once per run; every test ends by emptying the tables, so tests see a
clean database and the live server used by browser tests sees the same one. With
TEST_DATABASE_URL set (PostgreSQL), a fresh database is created for the run and dropped after.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from trainer import clock, create_app
from trainer.accounts.services import create_hall, create_user
from trainer.extensions import db as _db
from trainer.extensions import limiter
from trainer.permissions import Role
from trainer.training.services import create_cohort, enrol, get_or_create_programme

PASSWORD = "correct-horse-1"


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
            "INSTANCE_FILES": str(tmp_path_factory.mktemp("instance")),
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
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def session_timeouts(app, monkeypatch):
    """The production session timeouts: 30 idle minutes, 12 hours in all."""
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 30)
    monkeypatch.setitem(app.config, "SESSION_MAX_HOURS", 12)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


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

"""A database that is down, frozen or locked fails one request within its timeout with a
friendly 503 (never a hung worker, never a 500)."""

import os
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tests.conftest import PASSWORD
from tests.operations.conftest import run_with_deadline
from trainer import config as settings
from trainer.db import is_unavailable_error
from trainer.extensions import db
from trainer.permissions import Role

ON_POSTGRESQL = bool(os.environ.get("TEST_DATABASE_URL"))


def post_login(app, employee_no="U99999", password=PASSWORD):
    return app.test_client().post("/login", data={"employee_no": employee_no, "password": password})


@pytest.fixture
def short_timeouts(monkeypatch):
    monkeypatch.setenv("TRAINER_DB_CONNECT_TIMEOUT", "2")
    monkeypatch.setenv("TRAINER_DB_LOCK_TIMEOUT", "1")
    monkeypatch.setenv("TRAINER_DB_STATEMENT_TIMEOUT", "3")


def test_a_frozen_database_server_answers_503_within_the_connect_timeout(
    make_app, silent_server, short_timeouts
):
    frozen = make_app(
        SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://trainer@127.0.0.1:{silent_server}/trainer"
    )
    response = run_with_deadline(lambda: post_login(frozen), seconds=20)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "database" in response.get_data(as_text=True)


def test_a_database_that_is_down_answers_a_translated_503(make_app, dead_port, short_timeouts):
    down = make_app(
        SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://trainer@127.0.0.1:{dead_port}/trainer",
        BABEL_DEFAULT_LOCALE="zh_CN",
    )
    response = run_with_deadline(lambda: post_login(down), seconds=20)
    assert response.status_code == 503
    assert "暂时无法使用" in response.get_data(as_text=True)


def test_json_callers_get_a_json_503_when_the_database_is_down(make_app, dead_port):
    down = make_app(
        SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://trainer@127.0.0.1:{dead_port}/trainer"
    )
    response = down.test_client().get("/verify/ABCD-EFGH", headers={"Accept": "application/json"})
    assert (response.status_code, response.get_json()) == (
        503,
        {"unavailable": True, "retry": True},
    )


def test_timeouts_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRAINER_DB_CONNECT_TIMEOUT", "4")
    monkeypatch.setenv("TRAINER_DB_STATEMENT_TIMEOUT", "2.5")
    monkeypatch.setenv("TRAINER_DB_LOCK_TIMEOUT", "1")
    options = settings.engine_options("postgresql+psycopg://h/db")
    assert options["connect_args"] == {
        "connect_timeout": 4,
        "options": "-c statement_timeout=2500 -c lock_timeout=1000 -c jit=off",
    }
    assert settings.from_environment(settings.DEFAULT_INSTANCE)["SQLITE_BUSY_TIMEOUT_MS"] == 1000


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL lock and statement timeouts")
def test_a_table_locked_by_another_session_answers_503_within_the_lock_timeout(
    app, make_app, make_user, short_timeouts
):
    employee_no = make_user(Role.TRAINEE).employee_no
    db.session.rollback()  # end this session's read of "user", or LOCK TABLE waits for it
    locked = make_app()
    holder = create_engine(
        make_url(app.config["SQLALCHEMY_DATABASE_URI"]),
        connect_args={"options": "-c lock_timeout=5000"},
    )
    with holder.connect() as conn:
        conn.execute(text('LOCK TABLE "user" IN ACCESS EXCLUSIVE MODE'))
        response = run_with_deadline(lambda: post_login(locked, employee_no), seconds=20)
        conn.rollback()
    holder.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL statement timeout")
def test_a_statement_past_its_timeout_is_cancelled_and_counts_as_unavailable(
    make_app, short_timeouts
):
    slow = make_app()

    def sleep_in_the_database():
        with slow.app_context():
            try:
                db.session.execute(text("SELECT pg_sleep(30)"))
            finally:
                db.session.rollback()

    with pytest.raises(OperationalError) as raised:
        run_with_deadline(sleep_in_the_database, seconds=20)
    assert is_unavailable_error(raised.value)


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's write lock")
def test_a_sqlite_write_lock_held_elsewhere_answers_503_within_the_lock_timeout(
    app, make_app, make_user, short_timeouts
):
    employee_no = make_user(Role.TRAINEE).employee_no
    locked = make_app()
    holder = sqlite3.connect(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
    holder.isolation_level = None
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = run_with_deadline(lambda: post_login(locked, employee_no), seconds=20)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503

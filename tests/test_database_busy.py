"""SQLite under load: a write that cannot get the lock answers 503 with Retry-After (nothing
written, the page sends it again), never 500 — for every write route."""

import os
import sqlite3

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PASSWORD
from tests.test_authorization_matrix import concrete_url, guarded_rules, policy
from trainer.permissions import ANY_USER, PUBLIC, Role

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's single writer lock"
)


@pytest.fixture
def busy_app(make_app):
    """The app on the same database, waiting only 10 ms for SQLite's write lock (the lock is
    held until the test ends: a longer wait only slows the run)."""
    return make_app(SECRET_KEY="busy", SQLITE_BUSY_TIMEOUT_MS=10)


@pytest.fixture
def write_lock(app):
    """Another process's long write transaction, holding SQLite's write lock."""
    path = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    holder = sqlite3.connect(path, isolation_level=None)
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


def logged_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_write_route_answers_503_with_retry_after_while_the_database_is_locked(
    busy_app, write_lock, make_user, role
):
    client = logged_in(busy_app, make_user(role))
    write_lock.execute("BEGIN IMMEDIATE")
    wrong = []
    for rule in guarded_rules(busy_app):
        roles = policy(busy_app, rule)
        if "POST" not in rule.methods or rule.endpoint == "auth.logout":
            continue
        if roles not in (PUBLIC, ANY_USER) and role not in roles:
            continue
        response = client.post(concrete_url(busy_app, rule))
        if response.status_code != 503 or response.headers.get("Retry-After") != "2":
            wrong.append((rule.rule, response.status_code))
    assert wrong == []


def test_the_busy_page_sends_the_form_again_and_autosave_gets_json(busy_app, write_lock, make_user):
    client = logged_in(busy_app, make_user(Role.ADMIN))
    write_lock.execute("BEGIN IMMEDIATE")
    page = client.post("/admin/halls", data={"code": "YT-9", "name": "测试厅"})
    html = page.get_data(as_text=True)
    assert page.status_code == 503
    assert "data-busy-retry" in html and 'name="code" value="YT-9"' in html
    assert 'name="_busy_retry" value="1"' in html
    saved = client.post("/attempts/1/save", json={"answers": {}})
    assert saved.status_code == 503 and saved.json == {"busy": True, "retry": True}


def test_once_the_lock_is_free_the_same_request_succeeds(busy_app, write_lock, make_user):
    client = logged_in(busy_app, make_user(Role.ADMIN))
    write_lock.execute("BEGIN IMMEDIATE")
    assert client.post("/admin/halls", data={"code": "YT-9", "name": "测试厅"}).status_code == 503
    write_lock.execute("ROLLBACK")
    again = client.post(
        "/admin/halls", data={"code": "YT-9", "name": "测试厅", "kind": "hall", "_busy_retry": "1"}
    )
    assert again.status_code == 302

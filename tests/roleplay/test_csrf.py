"""Drill moves and the draft autosave need the CSRF token (form field or X-CSRFToken header)."""

import re

import pytest

from tests.conftest import PASSWORD
from trainer import create_app
from trainer.extensions import db
from trainer.permissions import Role


@pytest.fixture
def csrf_client(app, database_url):
    csrf_app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "csrf-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    yield csrf_app.test_client()
    with csrf_app.app_context():  # its own engine: close its connections before the DB is dropped
        db.session.remove()
        db.engine.dispose()


def token_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_moves_and_drafts_without_the_token_are_refused(csrf_client, make_user, loaded):
    user = make_user(Role.TRAINEE)
    login_page = csrf_client.get("/login").get_data(as_text=True)
    csrf_client.post(
        "/login",
        data={
            "employee_no": user.employee_no,
            "password": PASSWORD,
            "csrf_token": token_of(login_page),
        },
    )
    token = token_of(csrf_client.get("/drills").get_data(as_text=True))
    assert (
        csrf_client.post("/drills/bill_payment_queue/start", data={"mode": "practice"}).status_code
        == 400
    )
    started = csrf_client.post(
        "/drills/bill_payment_queue/start", data={"mode": "practice", "csrf_token": token}
    )
    session_url = started.headers["Location"]
    assert csrf_client.post(f"{session_url}/draft", json={"text": "x"}).status_code == 400
    saved = csrf_client.post(
        f"{session_url}/draft", json={"text": "x"}, headers={"X-CSRFToken": token}
    )
    assert saved.get_json() == {"saved": True}

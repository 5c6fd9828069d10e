"""POSTs of the content feature need the CSRF token (the test app disables CSRF, so build one)."""

import pytest

from tests.conftest import PASSWORD
from trainer import create_app
from trainer.extensions import db as _db


@pytest.fixture
def csrf_client(app, database_url):
    csrf_app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "csrf-test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    yield csrf_app.test_client()
    with csrf_app.app_context():
        _db.session.remove()
        _db.engine.dispose()  # its own connection pool; close it before the GC does


def test_marking_a_page_without_the_token_is_refused(csrf_client, make_enrolment, library):
    enrolment = make_enrolment()
    login_page = csrf_client.get("/login").get_data(as_text=True)
    token = login_page.split('name="csrf-token" content="')[1].split('"')[0]
    response = csrf_client.post(
        "/login",
        data={"employee_no": enrolment.user.employee_no, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    response = csrf_client.post("/modules/norms/pages/before_opening/studied")
    assert response.status_code == 400

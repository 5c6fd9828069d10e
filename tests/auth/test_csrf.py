"""CSRF is enforced on every form; the rest of the suite runs with it off for brevity."""

from tests.conftest import PASSWORD, csrf_token
from trainer.permissions import Role


def test_login_without_a_csrf_token_is_rejected(csrf_client, make_user):
    user = make_user()
    response = csrf_client.post(
        "/login", data={"employee_no": user.employee_no, "password": PASSWORD}
    )
    assert response.status_code == 400


def test_login_with_the_form_token_succeeds(csrf_client, make_user):
    user = make_user()
    token = csrf_token(csrf_client.get("/login").get_data(as_text=True))
    response = csrf_client.post(
        "/login", data={"employee_no": user.employee_no, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_logged_in_post_without_token_is_rejected(csrf_client, make_user):
    user = make_user(Role.ADMIN)
    token = csrf_token(csrf_client.get("/login").get_data(as_text=True))
    csrf_client.post(
        "/login", data={"employee_no": user.employee_no, "password": PASSWORD, "csrf_token": token}
    )
    response = csrf_client.post("/admin/halls", data={"code": "X1", "name": "偷偷建的厅"})
    assert response.status_code == 400


def test_every_page_carries_the_csrf_meta_tag_for_scripts(csrf_client):
    assert 'name="csrf-token"' in csrf_client.get("/login").get_data(as_text=True)


def test_security_headers_forbid_inline_scripts_and_framing(csrf_client):
    headers = csrf_client.get("/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"

"""Revocation is a POST like any other: without the CSRF token it is refused."""

from trainer import create_app


def test_revoke_without_csrf_token_is_refused(app, certificate, trainer_user, db):
    csrf_app = create_app({**app.config, "WTF_CSRF_ENABLED": True})
    client = csrf_app.test_client()
    with csrf_app.app_context():
        login = client.get("/login")
        assert login.status_code == 200
        import re

        from tests.conftest import PASSWORD

        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login.text)
        token = token or re.search(r'name="csrf-token" content="([^"]+)"', login.text)
        client.post(
            "/login",
            data={
                "employee_no": trainer_user.employee_no,
                "password": PASSWORD,
                "csrf_token": token.group(1),
            },
        )
        response = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "x"})
    assert response.status_code == 400
    db.session.refresh(certificate)
    assert certificate.revoked_at is None

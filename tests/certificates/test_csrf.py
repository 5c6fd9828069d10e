"""Revocation is a POST like any other: without the CSRF token it is refused."""

import re

from tests.conftest import PASSWORD


def test_revoke_without_csrf_token_is_refused(csrf_client, certificate, trainer_user, db):
    login = csrf_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    logged_in = csrf_client.post(
        "/login",
        data={"employee_no": trainer_user.employee_no, "password": PASSWORD, "csrf_token": token},
    )
    assert logged_in.status_code == 302
    response = csrf_client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "x"})
    assert response.status_code == 400
    db.session.refresh(certificate)
    assert certificate.revoked_at is None

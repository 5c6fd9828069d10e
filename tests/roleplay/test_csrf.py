"""Drill moves and the draft autosave need the CSRF token (form field or X-CSRFToken header)."""

import re

from tests.conftest import PASSWORD
from trainer.permissions import Role


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

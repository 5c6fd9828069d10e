"""Server-side sessions: a copied cookie dies with logout, a password change or an
administrator's "end all sessions"; idle and absolute timeouts (clock travel)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.auth.models import UserSession
from trainer.permissions import Role


@pytest.fixture
def signed_in(app, make_user):
    """A fresh client signed in as `user` (a new browser each call)."""

    def sign_in(user):
        browser = app.test_client()
        response = browser.post(
            "/login", data={"employee_no": user.employee_no, "password": PASSWORD}
        )
        assert response.status_code == 302
        return browser

    return sign_in


def copy_of(app, browser):
    """Another client holding a copy of `browser`'s session cookie (a stolen cookie)."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    return thief


def signed_in_now(browser) -> bool:
    return browser.get("/").status_code == 200


def test_a_cookie_copied_before_logout_is_refused_after_it(app, signed_in, make_user):
    browser = signed_in(make_user())
    thief = copy_of(app, browser)
    assert signed_in_now(thief)
    browser.post("/logout")
    assert not signed_in_now(thief)


def test_an_administrator_ends_every_session_of_a_user(app, signed_in, make_user, db):
    user = make_user()
    phone, desk = signed_in(user), signed_in(user)
    admin = signed_in(make_user(Role.ADMIN))
    assert admin.post(f"/admin/users/{user.id}/sessions/end").status_code == 302
    assert not signed_in_now(phone) and not signed_in_now(desk)
    assert signed_in_now(admin)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.sessions_end"))
    assert entry is not None


def test_only_an_administrator_may_end_someone_elses_sessions(signed_in, make_user):
    user, mentor = make_user(), make_user(Role.MENTOR)
    browser = signed_in(user)
    assert signed_in(mentor).post(f"/admin/users/{user.id}/sessions/end").status_code == 403
    assert signed_in_now(browser)


def test_password_change_ends_the_other_sessions_records(signed_in, make_user, db):
    user = make_user()
    signed_in(user)
    this = signed_in(user)
    this.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "new-secret-9",
            "confirm": "new-secret-9",
        },
    )
    live = db.session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).all()
    assert len(live) == 1 and signed_in_now(this)


def test_a_user_sees_their_sessions_and_ends_another_one(signed_in, make_user, db):
    user = make_user()
    laptop = signed_in(user)
    phone = signed_in(user)
    page = phone.get("/account/sessions").get_data(as_text=True)
    assert page.count("data-session-id=") == 2 and "This session" in page
    laptop_row = db.session.scalars(select(UserSession).order_by(UserSession.id)).first()
    assert phone.post(f"/account/sessions/{laptop_row.id}/end").status_code == 302
    assert not signed_in_now(laptop) and signed_in_now(phone)


def test_no_one_ends_another_users_session(signed_in, make_user, db):
    victim = signed_in(make_user())
    row = db.session.scalar(select(UserSession))
    other = signed_in(make_user(Role.ADMIN))
    assert other.post(f"/account/sessions/{row.id}/end").status_code == 404
    assert signed_in_now(victim)


def test_ending_every_other_session_keeps_this_one(signed_in, make_user):
    user = make_user()
    old = signed_in(user)
    this = signed_in(user)
    this.post("/account/sessions/end-others")
    assert signed_in_now(this) and not signed_in_now(old)


def test_thirty_idle_minutes_end_the_session(signed_in, make_user):
    browser = signed_in(make_user())
    with clock.travel(minutes=29):
        assert signed_in_now(browser)
    with clock.travel(minutes=29 + 31):
        assert not signed_in_now(browser)


def test_a_copied_cookie_does_not_outlive_its_own_idle_timeout(app, signed_in, make_user):
    browser = signed_in(make_user())
    thief = copy_of(app, browser)
    for minutes in (20, 40, 60):  # the owner keeps working
        clock.set_offset(timedelta(minutes=minutes))
        assert signed_in_now(browser)
    assert not signed_in_now(thief)


def test_activity_keeps_a_session_alive_only_up_to_twelve_hours(signed_in, make_user):
    browser = signed_in(make_user())
    for step in range(1, 36):  # a request every 20 minutes for 11 h 40 min
        clock.set_offset(timedelta(minutes=20 * step))
        assert signed_in_now(browser), step
    clock.set_offset(timedelta(hours=12, minutes=1))
    assert not signed_in_now(browser)


def test_the_timeouts_are_configurable(app, signed_in, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    browser = signed_in(make_user())
    with clock.travel(minutes=6):
        assert not signed_in_now(browser)

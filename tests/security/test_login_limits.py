"""Guessing is stopped per account (a growing lockout), not per address: a business hall's
staff share one NAT address, and behind a proxy every client would otherwise share one."""

from contextlib import ExitStack

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, throwaway_app
from trainer import clock
from trainer.auth.models import UserSession
from trainer.extensions import limiter


def attempt(client, employee_no, password="wrong-password", **kwargs):
    return client.post("/login", data={"employee_no": employee_no, "password": password}, **kwargs)


def fail(client, employee_no, times):
    return [attempt(client, employee_no).status_code for _ in range(times)]


def test_fifth_wrong_password_locks_the_account_and_says_when_to_retry(client, make_user):
    user = make_user()
    assert fail(client, user.employee_no, 5) == [200, 200, 200, 200, 429]
    locked = attempt(client, user.employee_no, PASSWORD)
    assert locked.status_code == 429
    assert "Try again after" in locked.get_data(as_text=True)
    assert 25 <= int(locked.headers["Retry-After"]) <= 30


def test_a_locked_account_refuses_even_the_right_password(client, make_user):
    user = make_user()
    fail(client, user.employee_no, 5)
    attempt(client, user.employee_no, PASSWORD)
    assert client.get("/").status_code == 302


def test_other_users_on_the_same_address_are_unaffected(app, client, make_user):
    victim, colleague = make_user(), make_user()
    fail(client, victim.employee_no, 8)
    response = attempt(app.test_client(), colleague.employee_no, PASSWORD)
    assert response.status_code == 302


def test_the_lock_grows_with_each_further_failure_and_then_expires(client, make_user):
    user = make_user()
    fail(client, user.employee_no, 5)  # locked for 30 s
    with clock.travel(seconds=31):
        assert attempt(client, user.employee_no).status_code == 429  # 6th: locked for 60 s
        with clock.travel(seconds=45):
            assert attempt(client, user.employee_no, PASSWORD).status_code == 429
        with clock.travel(seconds=61):
            assert attempt(client, user.employee_no, PASSWORD).status_code == 302


def test_a_successful_login_starts_the_count_again(app, client, make_user):
    user = make_user()
    fail(client, user.employee_no, 4)
    assert attempt(app.test_client(), user.employee_no, PASSWORD).status_code == 302
    assert fail(client, user.employee_no, 4) == [200] * 4


def test_unknown_employee_numbers_lock_the_same_way(client):
    assert fail(client, "NOBODY-1", 5) == [200, 200, 200, 200, 429]


def test_a_shift_start_behind_one_address_is_not_refused(client, make_user):
    staff = [make_user() for _ in range(30)]
    statuses = {attempt(client, user.employee_no, PASSWORD).status_code for user in staff}
    assert statuses == {302}


def test_the_per_address_ceiling_still_applies(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    users = [make_user() for _ in range(4)]
    first = app.test_client()
    statuses = [attempt(first, u.employee_no, PASSWORD).status_code for u in users]
    assert statuses == [302, 302, 302, 429]
    elsewhere = attempt(
        app.test_client(), users[3].employee_no, PASSWORD, environ_base={"REMOTE_ADDR": "192.0.2.9"}
    )
    assert elsewhere.status_code == 302


# ---- behind a reverse proxy ------------------------------------------------------------------


@pytest.fixture
def proxied(app):
    """An app built like production behind `hops` proxies (same database)."""
    with ExitStack() as stack:

        def build(hops: int, **config):
            return stack.enter_context(throwaway_app({**app.config, "PROXY_HOPS": hops, **config}))

        yield build
    limiter.init_app(app)  # the module-level limiter follows the last app initialised


FORWARDED = {"X-Forwarded-For": "203.0.113.66, 198.51.100.7", "X-Forwarded-Proto": "https"}


def signed_in_address(proxied_app, user, db) -> str:
    response = attempt(proxied_app.test_client(), user.employee_no, PASSWORD, headers=FORWARDED)
    assert response.status_code == 302
    return db.session.scalar(select(UserSession.address))


@pytest.mark.parametrize(
    ("hops", "address"), [(0, "127.0.0.1"), (1, "198.51.100.7"), (2, "203.0.113.66")]
)
def test_forwarded_addresses_are_trusted_for_the_configured_hops_only(
    proxied, make_user, db, hops, address
):
    assert signed_in_address(proxied(hops), make_user(), db) == address


@pytest.mark.parametrize(("hops", "sent"), [(0, False), (1, True)])
def test_hsts_is_sent_when_the_trusted_proxy_says_https(proxied, hops, sent):
    response = proxied(hops).test_client().get("/login", headers=FORWARDED)
    assert ("Strict-Transport-Security" in response.headers) is sent


def test_behind_the_proxy_each_client_has_its_own_verification_limit(proxied):
    behind = proxied(1, CERTIFICATE_VERIFY_RATE_LIMIT="3 per minute")
    client = behind.test_client()

    def check(addr):
        headers = {"X-Forwarded-For": addr}
        return client.get("/verify/GUESS000000000000001", headers=headers).status_code

    assert [check("198.51.100.1") for _ in range(4)] == [200, 200, 200, 429]
    assert check("198.51.100.2") == 200


def test_verification_allows_a_generous_burst_by_default(client):
    codes = {client.get(f"/verify/GUESS{n:015d}").status_code for n in range(40)}
    assert codes == {200}

import pytest
from sqlalchemy import event

from tests.conftest import PASSWORD, throwaway_app
from trainer.accounts.services import hash_password
from trainer.permissions import Role


def test_anonymous_user_is_redirected_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_with_the_right_password_opens_the_dashboard(client, make_user):
    user = make_user(Role.TRAINER)
    client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    assert user.name in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user):
    user = make_user()
    response = client.post("/login", data={"employee_no": user.employee_no, "password": "nope"})
    assert response.status_code == 200
    assert "Wrong employee number or password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_inactive_user_cannot_log_in(client, make_user, db):
    user = make_user()
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    assert response.status_code == 200


def test_logins_beyond_the_per_address_ceiling_are_refused_with_429(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "10 per minute")
    statuses = [
        client.post("/login", data={"employee_no": f"N{n}", "password": "wrong"}).status_code
        for n in range(11)
    ]
    assert statuses == [200] * 10 + [429]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_login_never_redirects_off_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/login", data={"employee_no": user.employee_no, "password": PASSWORD, "next": target}
    )
    assert response.headers["Location"] == "/"


def test_login_follows_a_same_site_next(client, make_user):
    user = make_user(Role.TRAINER)
    response = client.post(
        "/login", data={"employee_no": user.employee_no, "password": PASSWORD, "next": "/cohorts"}
    )
    assert response.headers["Location"] == "/cohorts"


def test_password_change_signs_out_other_sessions(app, make_user, login_as):
    user = make_user()
    other_device = app.test_client()
    other_device.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    this_device = app.test_client()
    this_device.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    this_device.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "new-secret-9",
            "confirm": "new-secret-9",
        },
    )
    assert this_device.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


def test_passwords_are_stored_with_a_strong_kdf(app, database_url):
    config = {"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True}
    with throwaway_app(config) as production_like, production_like.app_context():
        assert hash_password("secret-password").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_language_switch_is_remembered_for_the_user(client, make_user, login_as, db):
    user = login_as(make_user(Role.TRAINER))
    client.post("/language", data={"locale": "en", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"
    assert "Log out" in client.get("/").get_data(as_text=True)


@pytest.mark.locale("zh_CN")
def test_the_default_language_is_chinese(client):
    assert "登录" in client.get("/login").get_data(as_text=True)


def test_the_password_check_holds_no_sqlite_write_lock(client, make_user, db):
    """On SQLite a POST's transaction starts with BEGIN IMMEDIATE (the write lock); the login
    looks the user up and runs the KDF before that, so a login storm does not queue every
    write behind the logins' hashing. The session record is still written after it."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's")
    user = make_user(Role.TRAINEE)
    statements: list[str] = []

    def listener(*args):
        statements.append(" ".join(args[2].split()))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.post(
            "/login", data={"employee_no": user.employee_no, "password": PASSWORD}
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 302

    def first(prefix: str) -> int:
        return next(i for i, sql in enumerate(statements) if sql.startswith(prefix))

    looked_up = next(i for i, sql in enumerate(statements) if "WHERE user.employee_no" in sql)
    assert looked_up < first("BEGIN IMMEDIATE") < first("INSERT INTO user_session")

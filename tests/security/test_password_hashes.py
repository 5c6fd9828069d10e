"""Argon2id at OWASP's parameters; older hashes are replaced at the next successful login."""

import pytest
from argon2 import PasswordHasher
from werkzeug.security import generate_password_hash

from tests.conftest import PASSWORD
from trainer.accounts.passwords import needs_rehash, verify_password


@pytest.fixture
def argon2(app, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "argon2id")


def test_an_old_scrypt_hash_is_replaced_by_argon2id_at_login(argon2, client, make_user, db):
    user = make_user()
    user.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.session.commit()
    client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    db.session.refresh(user)
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(user.password_hash, PASSWORD)


def test_a_failed_login_leaves_the_old_hash(argon2, client, make_user, db):
    user = make_user()
    old = user.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.session.commit()
    client.post("/login", data={"employee_no": user.employee_no, "password": "wrong-one"})
    db.session.refresh(user)
    assert user.password_hash == old


def test_weaker_argon2_parameters_need_a_rehash(argon2):
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("x-password")
    assert needs_rehash(weak)


def test_argon2id_hashes_verify_only_the_right_password(argon2, make_user):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, PASSWORD)
    assert not verify_password(user.password_hash, PASSWORD + "x")

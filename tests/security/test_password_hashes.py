"""Argon2id at OWASP's parameters; older hashes are replaced at the next successful login."""

import threading

import pytest
from argon2 import PasswordHasher
from werkzeug.security import generate_password_hash

from tests.conftest import PASSWORD
from trainer.accounts.passwords import FairSlots, needs_rehash, verify_password


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


@pytest.mark.parametrize("size", [1, 2])
def test_key_derivation_is_bounded_and_served_in_arrival_order(size):
    slots = FairSlots(size)
    running, most, order, lock = [0], [0], [], threading.Lock()
    release = threading.Event()

    def login(n: int) -> None:
        with slots():
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
                order.append(n)
            release.wait(5)
            with lock:
                running[0] -= 1

    threads = []
    for n in range(6):
        thread = threading.Thread(target=login, args=(n,))
        thread.start()
        threads.append(thread)
        while len(slots.queue) + (size - slots.free) < n + 1:  # wait until n has queued
            threading.Event().wait(0.001)
    release.set()
    for thread in threads:
        thread.join()
    assert most[0] == size
    assert order == list(range(6)) if size == 1 else sorted(order) == list(range(6))

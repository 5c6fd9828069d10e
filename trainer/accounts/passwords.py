"""Password hashes: Argon2id at OWASP's parameters (m=19 MiB, t=2, p=1) through argon2-cffi.

Hashes written by older releases (Werkzeug's scrypt or PBKDF2) still verify and are replaced
on the next successful login (`needs_rehash`). Key derivation is bounded per process
(`PASSWORD_HASH_CONCURRENCY`, default the CPU count): at a shift start hundreds of logins
queue for a slot instead of all deriving at once (each Argon2id hash holds 19 MiB and a
core), so memory stays bounded and each login still finishes in one hash's time plus its wait.
"""

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app
from werkzeug.security import check_password_hash, generate_password_hash

ARGON2ID = "argon2id"
# OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB of memory, 2 iterations, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def _method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", ARGON2ID)


class FairSlots:
    """A semaphore that serves waiters first come, first served: under a login storm a plain
    semaphore lets newcomers overtake, and a few logins wait for many hashes' time."""

    def __init__(self, slots: int):
        self.free = slots
        self.queue: deque[object] = deque()
        self.condition = threading.Condition()

    @contextmanager
    def __call__(self) -> Iterator[None]:
        ticket = object()
        with self.condition:
            self.queue.append(ticket)
            self.condition.wait_for(lambda: self.free > 0 and self.queue[0] is ticket)
            self.queue.popleft()
            self.free -= 1
            self.condition.notify_all()  # the next in line may take another free slot
        try:
            yield
        finally:
            with self.condition:
                self.free += 1
                self.condition.notify_all()


def _slots():
    return current_app.extensions["password_hash_slots"]()


def hash_password(password: str) -> str:
    with _slots():
        if _method() == ARGON2ID:
            return HASHER.hash(password)
        # Tests choose a cheap Werkzeug method so factories stay fast.
        return generate_password_hash(password, method=_method())


def verify_password(stored: str, password: str) -> bool:
    with _slots():
        if stored.startswith("$argon2"):
            try:
                return HASHER.verify(stored, password)
            except (VerificationError, InvalidHashError):
                return False
        return check_password_hash(stored, password)


def needs_rehash(stored: str) -> bool:
    """True when `stored` was made with another method or weaker parameters than today's."""
    if _method() == ARGON2ID:
        return not stored.startswith("$argon2id$") or HASHER.check_needs_rehash(stored)
    return not stored.startswith(_method() + "$")


def init_app(app: Flask) -> None:
    slots = max(1, int(app.config.get("PASSWORD_HASH_CONCURRENCY") or 1))
    app.extensions["password_hash_slots"] = FairSlots(slots)

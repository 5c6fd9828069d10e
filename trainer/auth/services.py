"""Signing in and out: the per-account lockout and the server-side session records.

A session is live while its row is not ended, it is younger than the absolute lifetime
(`SESSION_MAX_HOURS`, 12 h) and the signed cookie saw a request within the idle timeout
(`SESSION_IDLE_MINUTES`, 30 min). The idle clock lives in the signed cookie, so reading a page
never writes a row (GET never writes); logout, a password change and an administrator's
"end all sessions" end the rows, which refuses a copied cookie at once.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, null, or_, select, update
from sqlalchemy.exc import IntegrityError

from trainer import clock
from trainer.accounts.models import User
from trainer.audit.services import record
from trainer.auth.models import LoginThrottle, UserSession
from trainer.db import as_utc
from trainer.extensions import db

# Failures older than this are forgotten: the next lockout starts from the first step again.
FAILURE_MEMORY = timedelta(days=1)
# The idle clock in the cookie is refreshed at most this often (fewer Set-Cookie headers).
SEEN_RESOLUTION_SECONDS = 10


class AccountLocked(Exception):
    """Too many wrong passwords for this employee number; retry after `until`."""

    def __init__(self, until: datetime):
        self.until = until
        super().__init__(until.isoformat())

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.until - clock.now()).total_seconds() + 0.999))


# ---- per-account lockout -------------------------------------------------------------------


def throttle_key(employee_no: str) -> str:
    return (employee_no or "").strip().lower()[:64]


def locked_until(employee_no: str) -> datetime | None:
    """When the account typed as `employee_no` may try again, or None if it may now."""
    row = db.session.get(LoginThrottle, throttle_key(employee_no))
    if row is None or row.locked_until is None:
        return None
    until = as_utc(row.locked_until)
    return until if until > clock.now() else None


def lock_delay(failures: int) -> timedelta | None:
    """The growing delay after `failures` wrong passwords in a row: none for the first few,
    then the base delay, doubling with each further failure up to the ceiling."""
    config = current_app.config
    free = config["LOGIN_LOCKOUT_FREE_ATTEMPTS"]
    if failures < free:
        return None
    seconds = config["LOGIN_LOCKOUT_BASE_SECONDS"] * 2 ** min(failures - free, 20)
    return timedelta(seconds=min(seconds, config["LOGIN_LOCKOUT_MAX_SECONDS"]))


def record_failure(employee_no: str) -> datetime | None:
    """Count one wrong password; return the lock's end when this failure locks the account."""
    key, now = throttle_key(employee_no), clock.now()
    row = db.session.get(LoginThrottle, key)
    if row is None:
        try:
            with db.session.begin_nested():
                row = LoginThrottle(key=key, failures=0, last_failure_at=now)
                db.session.add(row)
        except IntegrityError:  # a parallel failure for the same number created it first
            row = db.session.get(LoginThrottle, key)
    if now - as_utc(row.last_failure_at) > FAILURE_MEMORY:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    delay = lock_delay(row.failures)
    row.locked_until = now + delay if delay else None
    db.session.flush()
    return row.locked_until


def clear_failures(employee_no: str) -> None:
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == throttle_key(employee_no)))


# ---- server-side sessions ------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_timeout() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def max_lifetime() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def start_session(user: User, *, address: str | None, user_agent: str | None) -> str:
    """Record a new signed-in browser for `user`; return the token for its cookie. The user's
    ended and expired rows are pruned here (a POST), never while reading pages."""
    now = clock.now()
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            or_(UserSession.ended_at.is_not(None), UserSession.created_at < now - max_lifetime()),
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=token_hash(token),
            created_at=now,
            address=(address or "")[:64] or None,
            user_agent=(user_agent or "")[:255] or None,
        )
    )
    db.session.flush()
    return token


def live_session_started(user_id, token: str | None):
    """A scalar subquery: when the live (not ended) session of this cookie's token began, or
    NULL. Read with the user in one statement on every request (see `load_user`)."""
    if not token:
        return null()
    return (
        select(UserSession.created_at)
        .where(
            UserSession.token_hash == token_hash(token),
            UserSession.user_id == user_id,
            UserSession.ended_at.is_(None),
        )
        .scalar_subquery()
    )


def session_is_live(started: datetime | None, seen: float | None) -> bool:
    """The session row exists, and neither the idle timeout nor the maximum lifetime passed."""
    if started is None or seen is None:
        return False
    now = clock.now()
    if now.timestamp() - seen > idle_timeout().total_seconds():
        return False
    return as_utc(started) + max_lifetime() > now


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == token_hash(token), UserSession.ended_at.is_(None))
            .values(ended_at=clock.now())
        )


def end_sessions_of(actor: User, user: User, *, keep_token: str | None = None) -> int:
    """End every live session of `user` (but the one holding `keep_token`); audited."""
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep_token:
        query = query.where(UserSession.token_hash != token_hash(keep_token))
    ended = db.session.execute(query.values(ended_at=clock.now())).rowcount
    record(actor, "user.sessions_end", user, after={"ended": ended})
    return ended


def end_own_session(user: User, session_id: int) -> UserSession | None:
    """End one of the user's own sessions; None when it is not theirs (the view 404s)."""
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user.id or row.ended_at is not None:
        return None
    row.ended_at = clock.now()
    db.session.flush()
    return row


@dataclass(frozen=True)
class SessionView:
    id: int
    created_at: datetime
    address: str | None
    user_agent: str | None
    current: bool


def sessions_of(user: User, current_token: str | None) -> list[SessionView]:
    """The user's sessions that are not ended and within the absolute lifetime, newest first."""
    current = token_hash(current_token) if current_token else None
    rows = db.session.scalars(
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.created_at > clock.now() - max_lifetime(),
        )
        .order_by(UserSession.created_at.desc(), UserSession.id.desc())
    )
    return [
        SessionView(r.id, r.created_at, r.address, r.user_agent, r.token_hash == current)
        for r in rows
    ]

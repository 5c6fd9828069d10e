"""The app's notion of now, and the business calendar.

Instants are UTC (`now()`); every business date — "today", a sign-off's date, a certificate's
issue and expiry, the serial year, a month of standings, a day of internship — is the date in
the business time zone (`TRAINER_TIMEZONE`, default Asia/Shanghai), never the UTC date: between
00:00 and 08:00 in Beijing the UTC date is still yesterday.

Tests and demos move time with `travel`, never by sleeping. The offset lives on the app
(`app.extensions["clock"]`), so two apps in one process never share it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"


@dataclass
class AppClock:
    """One app's time travel offset (tests, demo seeding)."""

    offset: timedelta = timedelta(0)


def _app_clock() -> AppClock | None:
    return current_app.extensions.get("clock") if has_app_context() else None


def now() -> datetime:
    """The current instant in UTC, shifted by the app's travel offset."""
    clock = _app_clock()
    return datetime.now(UTC) + (clock.offset if clock else timedelta(0))


def business_zone() -> ZoneInfo:
    """The zone the business runs on (config BABEL_DEFAULT_TIMEZONE ← TRAINER_TIMEZONE)."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def local(instant: datetime) -> datetime:
    """An instant as wall-clock time in the business zone (naive SQLite values are UTC)."""
    aware = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    return aware.astimezone(business_zone())


def business_date(instant: datetime) -> date:
    """The business day an instant falls on."""
    return local(instant).date()


def today() -> date:
    """Today in the business time zone."""
    return business_date(now())


def start_of_day(day: date) -> datetime:
    """The UTC instant at which business day `day` begins (for range queries on timestamps)."""
    return datetime.combine(day, time.min, tzinfo=business_zone()).astimezone(UTC)


def set_offset(offset: timedelta) -> None:
    current_app.extensions["clock"].offset = offset


@contextmanager
def travel(days: float = 0, **delta: float) -> Iterator[None]:
    """Shift now() forward (or back, with negative values) for the duration of the block."""
    clock = current_app.extensions["clock"]
    previous = clock.offset
    clock.offset = previous + timedelta(days=days, **delta)
    try:
        yield
    finally:
        clock.offset = previous


@contextmanager
def travel_to(instant: datetime) -> Iterator[None]:
    """Make now() read `instant` (give it a tzinfo) for the duration of the block."""
    with travel(seconds=(instant - datetime.now(UTC)).total_seconds()):
        yield


def init_app(app: Flask) -> None:
    app.extensions["clock"] = AppClock()

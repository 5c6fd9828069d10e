"""The app's notion of now. Tests and demos move time with `travel`, never by sleeping."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

_offset = timedelta(0)


def now() -> datetime:
    return datetime.now(UTC) + _offset


def today() -> date:
    return now().date()


def set_offset(offset: timedelta) -> None:
    global _offset
    _offset = offset


@contextmanager
def travel(days: float = 0, **delta: float) -> Iterator[None]:
    """Shift now() forward (or back, with negative values) for the duration of the block."""
    previous = _offset
    set_offset(previous + timedelta(days=days, **delta))
    try:
        yield
    finally:
        set_offset(previous)

"""The business calendar: "today" is the date in TRAINER_TIMEZONE, never the UTC date.

Travelling to 23:30 UTC (07:30 the next morning in Beijing) and to 00:30 Beijing time (16:30
UTC, still "yesterday" in UTC) is where a UTC "today" goes wrong.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from trainer import clock, create_app

SHANGHAI = ZoneInfo("Asia/Shanghai")
LATE_UTC = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 2027-01-01 07:30 in Beijing
EARLY_LOCAL = datetime(2027, 3, 1, 0, 30, tzinfo=SHANGHAI)  # 2027-02-28 16:30 UTC


def test_today_at_23_30_utc_is_already_tomorrow_in_beijing(app):
    with clock.travel_to(LATE_UTC):
        assert clock.now().date() == date(2026, 12, 31)
        assert clock.today() == date(2027, 1, 1)


def test_today_at_00_30_in_beijing_is_the_local_date(app):
    with clock.travel_to(EARLY_LOCAL):
        assert clock.now().date() == date(2027, 2, 28)
        assert clock.today() == date(2027, 3, 1)


def test_a_business_day_starts_at_local_midnight(app):
    assert clock.start_of_day(date(2027, 3, 1)) == datetime(2027, 2, 28, 16, 0, tzinfo=UTC)
    assert clock.business_date(datetime(2027, 2, 28, 16, 0, tzinfo=UTC)) == date(2027, 3, 1)
    assert clock.business_date(datetime(2027, 2, 28, 15, 59)) == date(2027, 2, 28)  # naive=UTC


def test_the_zone_comes_from_the_configuration(app, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", "UTC")
    with clock.travel_to(LATE_UTC):
        assert clock.today() == date(2026, 12, 31)


@pytest.mark.parametrize("variable", ["TRAINER_TIMEZONE"])
def test_trainer_timezone_sets_the_business_zone(monkeypatch, variable):
    monkeypatch.setenv(variable, "Europe/Berlin")
    assert create_app({"TESTING": True}).config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Berlin"


def test_each_app_travels_alone(app):
    other = create_app({"TESTING": True})
    with clock.travel(days=3):
        shifted = clock.now()
        with other.app_context():
            assert abs(clock.now() - (shifted - timedelta(days=3))) < timedelta(seconds=5)

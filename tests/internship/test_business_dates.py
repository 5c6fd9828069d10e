"""Internship dates are business dates (Asia/Shanghai), whatever the UTC date says."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from trainer import clock
from trainer.internship.queries import progress_for

EARLY_LOCAL = datetime(2027, 3, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # 16:30 UTC before


def test_a_sign_off_dated_today_at_00_30_local_is_not_in_the_future(make_placement, sign, task):
    # The mentor's phone says 1 March; in UTC it is still 28 February.
    with clock.travel_to(EARLY_LOCAL):
        placement = make_placement(start_date=date(2027, 3, 1))
        sign_off = sign(placement, task("observe_open_account"), on=date(2027, 3, 1))
    assert sign_off.observed_on == date(2027, 3, 1)


def test_days_interned_count_business_days(make_placement):
    with clock.travel_to(datetime(2027, 2, 1, 12, 0, tzinfo=UTC)):  # 20:00 in Beijing
        placement = make_placement(start_date=clock.today())
    # 2027-02-11 16:30 UTC is 00:30 on the 12th in Beijing: eleven days, not ten.
    with clock.travel_to(datetime(2027, 2, 11, 16, 30, tzinfo=UTC)):
        assert progress_for(placement).days_interned == 11

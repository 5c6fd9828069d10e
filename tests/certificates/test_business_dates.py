"""Certificate dates and serial years are business dates (Asia/Shanghai)."""

from datetime import UTC, date, datetime, timedelta

from trainer import clock

LATE_UTC = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 2027-01-01 07:30 in Beijing


def test_a_certificate_issued_at_23_30_utc_is_dated_and_numbered_in_beijing(
    make_trainee, make_enrolment, make_cohort, trainer_user, pass_final
):
    with clock.travel_to(LATE_UTC):
        enrolment = make_enrolment(make_trainee(), make_cohort(trainer=trainer_user))
        certificate = pass_final(enrolment)
    assert certificate.issued_on == date(2027, 1, 1)
    assert certificate.year == 2027 and certificate.serial.startswith("SQ-2027-")
    assert certificate.expires_on == date(2027, 1, 1) + timedelta(days=730)

"""The dashboard's "practical assessments to hold" picks its few rows in SQL, agreeing with
the full candidates list (issue 25)."""

from trainer.permissions import Role
from trainer.practical import queries


def test_candidates_to_assess_are_the_candidates_still_to_pass(
    make_finalist, checklist, assess, mentor
):
    finalists = [make_finalist() for _ in range(4)]
    assess(mentor, finalists[0])  # passed: no longer a candidate
    assess(mentor, finalists[1], read_back="not_met", comment="号码未复述")  # failed: still one
    expected = {c.enrolment.id for c in queries.candidates()}
    assert {c.enrolment.id for c in queries.candidates_to_assess(limit=10)} == expected
    assert finalists[0].id not in expected and finalists[1].id in expected


def test_candidates_to_assess_stops_at_the_limit_and_keeps_the_observer_filter(
    make_finalist, checklist, make_user, make_hall
):
    other = make_user(Role.MENTOR, hall=make_hall())
    for _ in range(3):
        make_finalist()
    mine = make_finalist(mentor_=other)
    assert len(queries.candidates_to_assess(limit=2)) == 2
    assert [c.enrolment.id for c in queries.candidates_to_assess(other)] == [mine.id]

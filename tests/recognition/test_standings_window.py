"""Standings over a chosen window (months, cohort) and their cache, invalidated by results."""

from datetime import date, timedelta

import pytest

from trainer import clock
from trainer.permissions import Role
from trainer.quizzes.models import Purpose
from trainer.recognition.queries import StandingsWindow, ranked, standings_in


@pytest.fixture
def final_exam(make_quiz):
    return make_quiz(
        [("q1", "norms", None, 1.0), ("q2", "norms", None, 1.0)], purpose=Purpose.FINAL
    )


def ranked_ids(window: StandingsWindow) -> list[int]:
    return [s.user_id for s in ranked(window)[0]]


def test_a_window_of_months_counts_the_earlier_months_too(
    db, make_enrolment, make_attempt, final_exam
):
    now_person, earlier_person = (make_enrolment().user for _ in range(2))
    make_attempt(now_person, final_exam, [1, 0])
    make_attempt(earlier_person, final_exam, [1, 1], submitted_at=clock.now() - timedelta(days=40))
    db.session.commit()
    this_month = clock.today()
    assert ranked_ids(StandingsWindow(this_month)) == [now_person.id]
    assert ranked_ids(StandingsWindow(this_month, months=3)) == [earlier_person.id, now_person.id]


def test_a_window_of_months_starts_on_the_first_of_its_first_month():
    assert StandingsWindow(date(2026, 2, 14), months=3).bounds() == (
        date(2025, 12, 1),
        date(2026, 3, 1),
    )


def test_a_cohort_window_ranks_only_that_cohorts_trainees(
    db, make_enrolment, make_attempt, final_exam
):
    ours, theirs = make_enrolment(), make_enrolment()
    make_attempt(ours.user, final_exam, [1, 0])
    make_attempt(theirs.user, final_exam, [1, 1])
    db.session.commit()
    window = StandingsWindow(clock.today(), cohort_id=ours.cohort_id)
    assert ranked_ids(window) == [ours.user.id]


def test_unchanged_results_come_from_the_cache(db, make_enrolment, make_attempt, final_exam):
    make_attempt(make_enrolment().user, final_exam, [1, 1])
    db.session.commit()
    window = StandingsWindow(clock.today())
    assert ranked(window) is ranked(window)


def test_a_new_graded_attempt_changes_the_cached_standings(
    db, make_enrolment, make_attempt, final_exam
):
    first, second = make_enrolment().user, make_enrolment().user
    make_attempt(first, final_exam, [1, 0])
    db.session.commit()
    window = StandingsWindow(clock.today())
    assert ranked_ids(window) == [first.id]
    make_attempt(second, final_exam, [1, 1])
    db.session.commit()
    assert ranked_ids(window) == [second.id, first.id]


def test_the_page_offers_the_window_and_keeps_it(
    client, login_as, db, make_user, make_enrolment, make_attempt, final_exam
):

    enrolment = make_enrolment()
    make_attempt(enrolment.user, final_exam, [1, 1])
    db.session.commit()
    login_as(make_user(Role.TRAINER))
    page = client.get(f"/recognition/?months=3&cohort={enrolment.cohort_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="3" selected' in html and f'value="{enrolment.cohort_id}" selected' in html
    assert enrolment.user.name in html
    assert standings_in(StandingsWindow(clock.today(), 3, enrolment.cohort_id))[0]

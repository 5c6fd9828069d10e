"""List pages and the trainer dashboard run as many SQL statements for 30 trainees as for 5:
an N+1 (a query per row) makes the counts differ and fails here (issue 25)."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from trainer import clock
from trainer.extensions import db as database
from trainer.permissions import Role


@pytest.fixture
def statements(app):
    """Count the statements sent to the database while the returned function runs a GET."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = database.engine
    event.listen(engine, "before_cursor_execute", count)

    def during(client, path: str) -> int:
        seen.clear()
        response = client.get(path)
        assert response.status_code == 200, path
        return len(seen)

    yield during
    event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def grow(make_user, make_enrolment, make_cohort, make_quiz, make_attempt, place, mentor):
    """Add trainees, each in a cohort of their own (the first one's is the cohort page shown)
    with two graded attempts, placed 20 days ago with `mentor` (so week-1 and week-2 tasks are
    overdue), plus as many trainees not yet enrolled."""
    state = {}

    def grow_(count: int):
        if not state:
            state["trainer"] = make_user(Role.TRAINER, employee_no="T9000")
            state["cohort"] = make_cohort(trainer=state["trainer"])
            state["cohort_id"] = state["cohort"].id
            state["quiz"] = make_quiz([("q1", "procedures", None, 1.0), ("q2", "phrases", None, 1)])
        for _ in range(count):
            cohort = state.pop("cohort", None) or make_cohort(trainer=state["trainer"])
            state.setdefault("first_cohort", cohort)
            enrolment = make_enrolment(cohort=cohort)
            make_attempt(enrolment.user, state["quiz"], [1, 0])
            make_attempt(enrolment.user, state["quiz"], [1, 1])
            place(enrolment, mentor, start_date=clock.today() - timedelta(days=20))
            make_user(Role.TRAINEE)
        return state

    return grow_


def pages(state) -> list[str]:
    cohort, quiz = state["cohort_id"], state["quiz"].id
    return [
        "/reports/",
        "/reports/?q=U0",
        f"/reports/?cohort={cohort}&stage=interning",
        f"/manage/quizzes/{quiz}",
        f"/manage/quizzes/{quiz}?state=graded&q=U",
        "/internship/",
        "/internship/overdue",
        f"/cohorts/{cohort}",
        f"/cohorts/{cohort}?q=U",
        "/cohorts",
        "/cohorts?q=2026",
        "/recognition/",
        f"/recognition/?months=3&cohort={cohort}",
        "/",
    ]


def test_list_pages_run_the_same_statements_for_5_and_30_trainees(
    grow, client, login_as, statements
):
    state = grow(5)
    login_as(state["trainer"])
    small = {path: statements(client, path) for path in pages(state)}
    grow(25)
    large = {path: statements(client, path) for path in pages(state)}
    assert large == small


def test_a_cohorts_enrolled_list_runs_the_same_statements_for_5_and_30_trainees(
    make_user, make_cohort, make_enrolment, make_hall, client, login_as, statements
):
    trainer = make_user(Role.TRAINER)
    cohort = make_cohort(trainer=trainer)
    hall = make_hall()

    def enrol(count: int) -> None:
        for _ in range(count):
            make_enrolment(make_user(Role.TRAINEE, hall=hall), cohort=cohort)

    shown = f"/cohorts/{cohort.id}"
    paths = [shown, f"{shown}?find=U", f"{shown}?page=2"]
    login_as(trainer)
    enrol(5)
    small = {path: statements(client, path) for path in paths}
    enrol(25)
    large = {path: statements(client, path) for path in paths}
    assert large == small

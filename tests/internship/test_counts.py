"""The trainer's internship panel and the overdue list count in SQL what compute_progress
decides in Python: same numbers for every kind of placement (issue 25)."""

from datetime import timedelta

import pytest

from trainer import clock
from trainer.extensions import db
from trainer.internship import queries
from trainer.internship.services import record_absence, withdraw_sign_off
from trainer.training.stages import Stage


def python_counts() -> tuple[int, int, int]:
    placements = queries.active_placements()
    progress = queries.progress_for_many(placements)
    return (
        len(placements),
        sum(len(p.overdue) for p in progress.values()),
        sum(p.complete for p in progress.values()),
    )


@pytest.fixture
def mix(make_placement, sign, sign_everything_required, task, mentor):
    """Placements in every state the panel tells apart."""
    today = clock.today()
    days_ago = lambda n: today - timedelta(days=n)  # noqa: E731

    def still_interning(placement):
        placement.enrolment.stage = Stage.INTERNING  # the catch-up job has not run yet
        db.session.commit()

    ready = make_placement(start_date=days_ago(40))
    sign_everything_required(ready, on=days_ago(10))
    still_interning(ready)
    absent = make_placement(start_date=days_ago(40))
    sign_everything_required(absent, on=days_ago(10))
    for n in range(12):
        record_absence(mentor, absent, days_ago(30 - n), "病假")
    still_interning(absent)
    make_placement(start_date=days_ago(20))  # every required task overdue
    make_placement(start_date=today)  # nothing due yet
    withdrawn = make_placement(start_date=days_ago(10))
    wrong = sign(withdrawn, task("observe_open_account"), on=days_ago(9))
    sign(withdrawn, task("greet_customers"), on=days_ago(8))  # one of two observations
    withdraw_sign_off(mentor, wrong, "签错了")
    db.session.commit()


def test_panel_counts_equal_the_python_progress(mix):
    counts = queries.internship_counts()
    assert (counts.active, counts.overdue, counts.ready) == python_counts()


def test_panel_counts_each_case(mix):
    counts = queries.internship_counts()
    # 3 overdue for the one placed 20 days ago, 2 for the one placed 10 days ago
    assert (counts.active, counts.overdue, counts.ready) == (5, 5, 1)


def test_overdue_list_holds_exactly_the_placements_with_overdue_tasks(mix):
    listed = (
        db.session.scalars(queries.with_overdue_tasks(queries.in_progress_placements()))
        .unique()
        .all()
    )
    progress = queries.progress_for_many(queries.active_placements())
    assert {p.id for p in listed} == {pid for pid, pr in progress.items() if pr.overdue}


def paged_apart(page: int) -> tuple[list[int], int]:
    """The overdue list's page and total as db.paginate gives them (a separate count)."""
    separate = db.paginate(
        queries.with_overdue_tasks(queries.in_progress_placements()),
        page=page,
        per_page=1,
        error_out=False,
    )
    return [p.id for p in separate.items], separate.total


@pytest.mark.parametrize("page", [1, 2, 3, 9])
def test_overdue_page_holds_the_rows_and_total_of_a_separate_count(app, mix, page):
    with app.test_request_context(f"/internship/overdue?page={page}"):
        counted = queries.overdue_page(None, per_page=1)
        assert ([p.id for p in counted.items], counted.total) == paged_apart(page)

"""The gate's arithmetic, without a database: days, absences, observations, withdrawals."""

from datetime import date, timedelta

from trainer.internship.progress import (
    SignOffFact,
    TaskSpec,
    compute_progress,
    days_interned,
    task_due,
)

START = date(2026, 3, 2)
A = TaskSpec(1, week=1, position=1, title="观摩开户", required=True, observations_needed=1)
B = TaskSpec(2, week=1, position=2, title="站立迎客", required=True, observations_needed=2)
OPTIONAL = TaskSpec(3, week=2, position=1, title="巡检", required=False, observations_needed=1)


def progress(today, absences=(), facts=(), tasks=(A, B, OPTIONAL), days=30):
    return compute_progress(
        start=START,
        today=today,
        internship_days=days,
        absences=absences,
        tasks=tasks,
        sign_offs=facts,
    )


def ok(task_id):
    return SignOffFact(task_id, successful=True, withdrawn=False)


def everything():
    return [ok(1), ok(2), ok(2)]


def test_days_interned_are_calendar_days_elapsed_since_the_start():
    assert days_interned(START, START + timedelta(days=30), []) == 30


def test_a_start_in_the_future_counts_no_days():
    assert days_interned(START, START - timedelta(days=3), []) == 0


def test_absences_inside_the_internship_are_subtracted():
    absences = [START + timedelta(days=2), START + timedelta(days=5)]
    assert days_interned(START, START + timedelta(days=30), absences) == 28


def test_absences_before_the_start_or_not_yet_passed_do_not_count():
    absences = [START - timedelta(days=1), START + timedelta(days=40), START + timedelta(days=30)]
    assert days_interned(START, START + timedelta(days=30), absences) == 30


def test_complete_with_enough_days_and_every_required_task_signed():
    assert progress(START + timedelta(days=30), facts=everything()).complete


def test_one_day_short_is_not_complete():
    result = progress(START + timedelta(days=29), facts=everything())
    assert (result.days_met, result.tasks_met, result.complete) == (False, True, False)


def test_an_absence_delays_completion_by_a_day():
    absent = [START + timedelta(days=10)]
    assert not progress(START + timedelta(days=30), absent, everything()).complete
    assert progress(START + timedelta(days=31), absent, everything()).complete


def test_a_task_needing_two_observations_is_not_done_with_one():
    result = progress(START + timedelta(days=30), facts=[ok(1), ok(2)])
    assert (result.required_done, result.complete) == (1, False)


def test_withdrawn_sign_offs_do_not_count():
    facts = [ok(1), ok(2), SignOffFact(2, successful=True, withdrawn=True)]
    assert not progress(START + timedelta(days=30), facts=facts).tasks_met


def test_failed_observations_do_not_count():
    facts = [ok(1), ok(2), SignOffFact(2, successful=False, withdrawn=False)]
    assert not progress(START + timedelta(days=30), facts=facts).tasks_met


def test_optional_tasks_are_not_needed_to_complete():
    result = progress(START + timedelta(days=30), facts=everything())
    assert result.complete and not next(t for t in result.tasks if t.task.id == 3).done


def test_a_task_is_overdue_after_the_end_of_its_week():
    assert [t.task.id for t in progress(START + timedelta(days=7)).overdue] == []
    assert [t.task.id for t in progress(START + timedelta(days=8)).overdue] == [1, 2]


def test_done_and_optional_tasks_are_never_overdue():
    result = progress(START + timedelta(days=20), facts=[ok(1)])
    assert [t.task.id for t in result.overdue] == [2]


def test_due_dates_never_pass_the_end_of_the_internship():
    assert task_due(START, week=5, internship_days=30) == START + timedelta(days=30)


def test_next_task_puts_overdue_work_first():
    result = progress(
        START + timedelta(days=9), facts=[ok(1)], tasks=(A, B, TaskSpec(9, 2, 0, "早", True, 1))
    )
    assert result.next_task.task.id == 2


def test_percent_is_half_days_half_observations():
    assert progress(START + timedelta(days=15), facts=[ok(1)]).percent == 25 + 17
    assert progress(START + timedelta(days=30), facts=everything()).percent == 100

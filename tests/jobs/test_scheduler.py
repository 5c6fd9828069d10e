"""The scheduler the product owns: registered jobs, one run per occurrence, the loop."""

import threading
from datetime import UTC, datetime

from sqlalchemy import func, select

from trainer import clock, create_app
from trainer.jobs.models import JobRun
from trainer.jobs.registry import register_job, registry
from trainer.jobs.runner import occurrence, run_job, run_scheduled
from trainer.jobs.scheduler import due_now, serve

EXPECTED = {
    "quizzes.close_overdue",
    "internship.catch_up",
    "internship.overdue_reminders",
    "training.catch_up",
    "certificates.issue_due",
    "jobs.prune",
}


def test_the_features_register_the_periodic_jobs(app):
    with app.app_context():
        assert {spec.name for spec in registry().all()} >= EXPECTED
        assert registry().get("quizzes.close_overdue").cron == "* * * * *"


def test_each_app_has_its_own_jobs(app):
    other = create_app({"TESTING": True})
    register_job(other, "test.only_here", lambda: "x", cron="0 * * * *")
    with other.app_context():
        assert "test.only_here" in {spec.name for spec in registry().all()}
    assert "test.only_here" not in {spec.name for spec in registry().all()}


def test_occurrences_are_read_in_the_business_time_zone(app):
    spec = registry().get("internship.catch_up")  # 00:01 every day, Beijing time
    at = datetime(2027, 1, 1, 16, 30, tzinfo=UTC)  # 00:30 on 2 January in Beijing
    assert occurrence(spec, at).isoformat(timespec="minutes") == "2027-01-02T00:01+08:00"


def test_an_occurrence_runs_once_whoever_asks(app, db):
    first = run_scheduled("training.catch_up")
    second = run_scheduled("training.catch_up")
    assert (first.outcome, second.outcome) == ("done", "skipped")
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 1


def test_two_schedulers_at_once_run_an_occurrence_once(app, db):
    barrier = threading.Barrier(2)
    outcomes = []

    def scheduler() -> None:
        with app.app_context():
            barrier.wait(timeout=30)
            outcomes.append(run_scheduled("training.catch_up").outcome)
            db.session.remove()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "skipped"]


def test_a_failing_job_is_recorded_and_rolled_back(app, db):
    def broken():
        raise RuntimeError("smtp down")

    register_job(app, "test.broken", broken, cron="0 0 * * *")
    try:
        result = run_job("test.broken")
    finally:
        registry()._jobs.pop("test.broken")
    assert result.outcome == "failed" and "smtp down" in result.summary
    run = db.session.scalar(select(JobRun).where(JobRun.name == "test.broken"))
    assert run.outcome == "failed" and run.finished_at is not None


def test_the_loop_runs_what_is_due_including_what_was_missed_and_stops(app, db):
    stop, ran = threading.Event(), []

    def report(result):
        ran.append(result.name)
        if set(ran) >= EXPECTED:
            stop.set()

    serve(stop, report=report)  # on start, every job's latest occurrence is due once
    assert set(ran) == {spec.name for spec in registry().all()}
    assert due_now({name: slot for name, slot in _latest().items()}) == []


def _latest() -> dict[str, str]:
    return {spec.name: occurrence(spec).isoformat(timespec="minutes") for spec in registry().all()}


def test_time_passing_makes_the_next_occurrence_due(app):
    seen = _latest()
    with clock.travel(days=1):
        assert {name for name, _slot in due_now(seen)} >= {"internship.catch_up", "jobs.prune"}

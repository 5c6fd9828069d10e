"""Notifications that time brings: tasks due or overdue, certificates about to expire.
The jobs are idempotent: run twice in a day, they add nothing."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from tests.certificates.conftest import bring_to
from trainer import clock
from trainer.notifications.models import Notification
from trainer.notifications.periodic import certificate_expiry_job, task_reminders_job
from trainer.permissions import Role
from trainer.training.stages import Stage


def test_a_mentor_hears_of_tasks_due_within_two_days_once(make_placement, notices, db):
    placement = make_placement(start_date=clock.today() - timedelta(days=5))
    task_reminders_job()
    db.session.commit()
    due = notices(placement.mentor, "task_due")
    week_one_end = (placement.start_date + timedelta(days=7)).isoformat()
    name = placement.enrolment.user.name
    assert {text for _k, text, _l in due} == {
        f"{name}: the task “观摩开户” is due on {week_one_end}.",
        f"{name}: the task “站立迎客” is due on {week_one_end}.",
    }
    with clock.travel(days=1):
        task_reminders_job()
        db.session.commit()
    assert len(notices(placement.mentor, "task_due")) == 2  # once per task, not per day


def test_an_overdue_task_is_told_once_a_day(make_placement, notices, db):
    placement = make_placement(start_date=clock.today() - timedelta(days=10))
    for _run in range(2):
        task_reminders_job()
        db.session.commit()
    overdue = notices(placement.mentor, "task_overdue")
    assert len(overdue) == 2 and all(
        link.endswith(f"/{placement.enrolment_id}") for *_x, link in overdue
    )
    with clock.travel(days=1):
        task_reminders_job()
        db.session.commit()
    assert len(notices(placement.mentor, "task_overdue")) == 4


def test_tasks_done_or_optional_are_not_told(make_placement, sign_everything_required, notices, db):
    placement = make_placement(start_date=clock.today() - timedelta(days=13))
    sign_everything_required(placement)
    task_reminders_job()
    db.session.commit()
    assert notices(placement.mentor) == []


def test_the_database_keeps_one_notification_per_user_and_key(make_user, db):
    """Two runners that both checked before either inserted: the unique key refuses the
    second row, and `notify` (which inserts in a savepoint) then reports nothing added."""
    user = make_user(Role.MENTOR)
    for _ in range(2):
        db.session.add(
            Notification(user_id=user.id, kind="task_due", message="x", dedupe_key="same")
        )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_a_holder_hears_once_that_the_certificate_expires_within_60_days(
    make_enrolment, make_user, notices, db
):
    trainer = make_user(Role.TRAINER)
    enrolment = make_enrolment(make_user(Role.TRAINEE))
    bring_to(enrolment, Stage.FINAL_PASSED, trainer)
    db.session.commit()
    valid_days = enrolment.programme.certificate_valid_days
    certificate_expiry_job()
    assert notices(enrolment.user, "certificate_expiring") == []
    with clock.travel(days=valid_days - 59):
        for _run in range(2):
            certificate_expiry_job()
            db.session.commit()
    ((_kind, text, link),) = notices(enrolment.user, "certificate_expiring")
    assert text.startswith("Your post certificate ") and link == "/"


def test_the_jobs_are_registered_with_the_scheduler(app):
    names = {spec.name for spec in app.extensions["jobs"].all()}
    assert {
        "notifications.mail",
        "notifications.task_reminders",
        "notifications.certificate_expiry",
    } <= names

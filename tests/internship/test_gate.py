"""The real path guards: interning needs a mentor; completion needs days and sign-offs."""

from datetime import timedelta

from trainer import clock
from trainer.internship.models import Grade
from trainer.internship.queries import progress_for
from trainer.internship.services import (
    place_trainee,
    record_absence,
    sync_stage,
    withdraw_sign_off,
)
from trainer.permissions import Role
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


def test_placing_a_trainee_with_a_mentor_starts_the_internship(make_placement):
    assert make_placement().enrolment.stage is Stage.INTERNING


def test_without_a_placement_the_trainee_cannot_start_interning(make_enrolment):
    enrolment = make_enrolment()
    enrolment.stage = Stage.PRE_JOB_PASSED
    assert trainee_path.unmet(enrolment) == ["Not yet placed in a business hall with a mentor."]


def test_everything_signed_but_too_few_days_keeps_the_trainee_interning(
    make_placement, sign_everything_required
):
    placement = make_placement(start_date=clock.today() - timedelta(days=29))
    sign_everything_required(placement)
    assert placement.enrolment.stage is Stage.INTERNING
    assert trainee_path.unmet(placement.enrolment) == ["29 of 30 internship days completed."]


def test_last_required_sign_off_after_thirty_days_completes_the_internship(
    make_placement, sign_everything_required
):
    placement = make_placement(start_date=clock.today() - timedelta(days=30))
    sign_everything_required(placement)
    assert placement.enrolment.stage is Stage.INTERNSHIP_COMPLETE


def test_thirty_days_with_a_required_task_missing_is_not_complete(make_placement, sign, task):
    placement = make_placement(start_date=clock.today() - timedelta(days=40))
    sign(placement, task("observe_open_account"))
    sign(placement, task("greet_customers"))
    sign(placement, task("greet_customers"))
    assert placement.enrolment.stage is Stage.INTERNING
    assert trainee_path.unmet(placement.enrolment) == [
        "2 of 3 required internship tasks signed off."
    ]


def test_optional_tasks_are_not_required(make_placement, sign_everything_required, task):
    placement = make_placement(start_date=clock.today() - timedelta(days=30))
    sign_everything_required(placement)
    assert placement.enrolment.stage is Stage.INTERNSHIP_COMPLETE


def test_absences_push_completion_back(make_placement, sign_everything_required, db):
    placement = make_placement(start_date=clock.today() - timedelta(days=30))
    record_absence(placement.mentor, placement, placement.start_date + timedelta(days=4), "病假")
    db.session.commit()
    sign_everything_required(placement)
    assert placement.enrolment.stage is Stage.INTERNING
    with clock.travel(days=1):
        sync_stage(placement.enrolment)
        assert placement.enrolment.stage is Stage.INTERNSHIP_COMPLETE


def test_a_withdrawn_sign_off_does_not_count(make_placement, sign, task, db):
    placement = make_placement(start_date=clock.today() - timedelta(days=31))
    sign(placement, task("observe_open_account"))
    sign(placement, task("greet_customers"))
    withdrawn = sign(placement, task("greet_customers"))
    withdraw_sign_off(placement.mentor, withdrawn, "签错了学员")
    sign(placement, task("complaint_with_duty_manager"), duty_manager_present=True)
    assert placement.enrolment.stage is Stage.INTERNING


def test_a_failed_observation_does_not_count(make_placement, sign, task):
    placement = make_placement(start_date=clock.today() - timedelta(days=31))
    sign(placement, task("observe_open_account"))
    sign(placement, task("greet_customers"))
    sign(placement, task("greet_customers"))
    sign(placement, task("complaint_with_duty_manager"), grade=Grade.FAIL, items=set())
    assert placement.enrolment.stage is Stage.INTERNING


def test_days_passing_complete_the_internship_on_the_next_sync(
    make_placement, sign_everything_required
):
    placement = make_placement()
    sign_everything_required(placement)
    assert placement.enrolment.stage is Stage.INTERNING
    with clock.travel(days=30):
        sync_stage(placement.enrolment)
    assert placement.enrolment.stage is Stage.INTERNSHIP_COMPLETE


def test_reassigning_the_mentor_keeps_history_start_date_and_sign_offs(
    make_placement, sign, task, make_user, db
):
    placement = make_placement(start_date=clock.today() - timedelta(days=10))
    sign(placement, task("observe_open_account"))
    new_mentor = make_user(Role.MENTOR)
    moved = place_trainee(
        make_user(Role.TRAINER),
        placement.enrolment,
        hall=placement.hall,
        mentor=new_mentor,
        plan=placement.plan,
        start_date=placement.start_date,
        reason="原师傅调岗",
    )
    db.session.commit()
    assert (placement.active, placement.end_reason, moved.active) == (False, "原师傅调岗", True)
    assert progress_for(moved).days_interned == 10
    assert progress_for(moved).tasks[0].observed == 1

"""Recording practical assessments: who may assess, the rules of the form, idempotent submit,
audit, and withdrawal with a reason."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.permissions import Role
from trainer.practical.models import ItemResult, ObserverRole, PracticalAssessment
from trainer.practical.services import PracticalError, withdraw_assessment
from trainer.training.stages import Stage


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(PracticalAssessment))


def test_the_trainees_mentor_records_a_pass_with_a_snapshot_of_the_items(finalist, mentor, assess):
    assessment = assess(mentor, finalist)
    assert (assessment.passed, assessment.percent, assessment.role) == (
        True,
        100,
        ObserverRole.MENTOR,
    )
    assert [r["key"] for r in assessment.results] == [
        "greeting",
        "real_name",
        "read_back",
        "phrases",
        "closing",
    ]


def test_a_critical_item_not_met_fails_the_assessment(finalist, mentor, assess):
    assessment = assess(mentor, finalist, read_back="not_met", comment="号码未复述")
    assert (assessment.percent, assessment.passed) == (80, False)
    assert [r["key"] for r in assessment.critical_failures] == ["read_back"]


def test_the_assessment_is_audited_with_its_result(finalist, mentor, assess, db):
    assessment = assess(mentor, finalist, phrases="partly")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "practical.assess"))
    assert (entry.actor_id, entry.target_id, entry.after["percent"], entry.after["passed"]) == (
        mentor.id,
        str(assessment.id),
        90,
        True,
    )


def test_the_same_form_token_twice_records_one_assessment(finalist, mentor, assess, db):
    first = assess(mentor, finalist, token="tap-once", phrases="not_met", comment="用语待加强")
    second = assess(mentor, finalist, token="tap-once", phrases="not_met", comment="用语待加强")
    assert (first.id, count(db)) == (second.id, 1)


def test_a_mentor_cannot_assess_another_mentors_mentee(
    make_finalist, checklist, make_user, make_hall, assess, db
):
    other_mentor = make_user(Role.MENTOR, hall=make_hall())
    enrolment = make_finalist()
    with pytest.raises(PracticalError):
        assess(other_mentor, enrolment)
    db.session.rollback()
    assert count(db) == 0


def test_the_duty_manager_of_the_placement_may_assess(finalist, duty_manager, assess):
    assert assess(duty_manager, finalist).role is ObserverRole.DUTY_MANAGER


def test_a_trainer_may_assess_anyone(finalist, make_user, assess):
    assert assess(make_user(Role.TRAINER), finalist).role is ObserverRole.TRAINER


def test_a_trainee_cannot_assess_themself(finalist, assess, db):
    with pytest.raises(PracticalError):
        assess(finalist.user, finalist)


def test_every_item_needs_a_result(finalist, mentor, assess):
    with pytest.raises(PracticalError, match="起身迎候"):
        assess(mentor, finalist, {"real_name": ItemResult.MET})


def test_a_failed_assessment_needs_a_comment(finalist, mentor, assess):
    with pytest.raises(PracticalError, match="comment"):
        assess(mentor, finalist, real_name="not_met")


def test_an_assessment_cannot_be_dated_in_the_future(finalist, mentor, assess):
    with pytest.raises(PracticalError, match="future"):
        assess(mentor, finalist, on=clock.today() + timedelta(days=1))


def test_the_assessment_waits_for_the_internship(make_finalist, checklist, mentor, assess):
    interning = make_finalist(stage=Stage.INTERNING)
    with pytest.raises(PracticalError, match="internship is complete"):
        assess(mentor, interning)


def test_a_trainee_who_passed_is_not_assessed_again(finalist, mentor, assess, db):
    assess(mentor, finalist)
    with pytest.raises(PracticalError, match="already passed"):
        assess(mentor, finalist)


def test_a_failed_trainee_is_assessed_again(finalist, mentor, assess):
    assess(mentor, finalist, phrases="not_met", closing="not_met", comment="再练送别")
    assert assess(mentor, finalist).passed


def test_no_checklist_for_the_programme_means_no_assessment(make_finalist, mentor, assess):
    with pytest.raises(PracticalError, match="checklist"):
        assess(mentor, make_finalist())


def test_withdrawing_needs_a_reason_and_is_audited(finalist, mentor, assess, db):
    assessment = assess(mentor, finalist)
    with pytest.raises(PracticalError):
        withdraw_assessment(mentor, assessment, "  ")
    withdraw_assessment(mentor, assessment, "考核时客户是同事扮演，不算数")
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "practical.withdraw"))
    assert (assessment.withdrawn, entry.reason) == (True, "考核时客户是同事扮演，不算数")


def test_withdrawing_twice_changes_nothing(finalist, mentor, assess, db):
    assessment = assess(mentor, finalist)
    withdraw_assessment(mentor, assessment, "重考")
    first = assessment.withdrawn_at
    withdraw_assessment(mentor, assessment, "again")
    assert (assessment.withdrawn_at, assessment.withdrawal_reason) == (first, "重考")


def test_after_a_withdrawn_pass_the_trainee_can_be_assessed_again(finalist, mentor, assess, db):
    withdraw_assessment(mentor, assess(mentor, finalist), "误录")
    db.session.commit()
    assert assess(mentor, finalist).passed

"""Sign-offs: audited, idempotent, dated sensibly, withdrawn only with a reason, countersigned."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.internship.models import Grade, SignOff
from trainer.internship.services import (
    InternshipError,
    countersign,
    place_trainee,
    withdraw_sign_off,
)
from trainer.permissions import Role


def count_sign_offs(db) -> int:
    return db.session.scalar(select(func.count()).select_from(SignOff))


def audit_actions(db, action) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_sign_off_is_audited_with_its_rating_and_grade(make_placement, sign, task, db):
    placement = make_placement()
    sign(placement, task("observe_open_account"), grade=Grade.EXCELLENT)
    entry = audit_actions(db, "internship.sign_off")[0]
    assert (entry.actor_id, entry.after["grade"], entry.after["rating"]) == (
        placement.mentor_id,
        "excellent",
        4,
    )


def test_the_same_form_token_twice_records_one_sign_off(make_placement, sign, task, db):
    placement = make_placement()
    first = sign(placement, task("greet_customers"), token="tap-once")
    second = sign(placement, task("greet_customers"), token="tap-once")
    assert (first.id, count_sign_offs(db)) == (second.id, 1)


def test_the_database_refuses_a_second_row_with_the_same_token(make_placement, task, db):
    placement = make_placement()
    t = task("greet_customers")
    for _ in range(2):
        db.session.add(
            SignOff(
                enrolment_id=placement.enrolment_id,
                task_id=t.id,
                placement_id=placement.id,
                mentor_id=placement.mentor_id,
                observed_on=clock.today(),
                rating=3,
                grade=Grade.PASS,
                idempotency_token="same",
            )
        )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_a_sign_off_cannot_be_dated_in_the_future(make_placement, sign, task):
    with pytest.raises(InternshipError, match="future"):
        sign(make_placement(), task("observe_open_account"), on=clock.today() + timedelta(days=1))


def test_a_sign_off_cannot_be_dated_before_the_placement_began(make_placement, sign, task):
    placement = make_placement(start_date=clock.today() - timedelta(days=3))
    with pytest.raises(InternshipError, match="before the placement"):
        sign(placement, task("observe_open_account"), on=clock.today() - timedelta(days=4))


def test_a_pass_needs_every_checklist_item_observed(make_placement, sign, task):
    with pytest.raises(InternshipError, match="every checklist item"):
        sign(make_placement(), task("observe_open_account"), items={0})


def test_a_fail_may_leave_items_unobserved_and_keeps_which_were_seen(make_placement, sign, task):
    sign_off = sign(make_placement(), task("observe_open_account"), grade=Grade.FAIL, items={1})
    assert [item["observed"] for item in sign_off.items] == [False, True]


def test_a_duty_manager_task_needs_the_duty_manager_present(make_placement, sign, task):
    with pytest.raises(InternshipError, match="duty manager was present"):
        sign(make_placement(), task("complaint_with_duty_manager"))


def test_a_duty_manager_task_cannot_pass_without_a_duty_manager_on_the_placement(
    make_placement, sign, task
):
    with pytest.raises(InternshipError, match="placement has none"):
        sign(
            make_placement(duty_manager=None),
            task("complaint_with_duty_manager"),
            duty_manager_present=True,
        )


def test_a_former_mentor_can_no_longer_sign_off(make_placement, sign, task, make_user, db):
    placement = make_placement()
    place_trainee(
        make_user(Role.TRAINER),
        placement.enrolment,
        hall=placement.hall,
        mentor=make_user(Role.MENTOR),
        plan=placement.plan,
        start_date=placement.start_date,
        reason="调岗",
    )
    db.session.commit()
    with pytest.raises(InternshipError, match="current mentor"):
        sign(placement, task("observe_open_account"))


def test_withdrawing_needs_a_reason(make_placement, sign, task):
    sign_off = sign(make_placement(), task("observe_open_account"))
    with pytest.raises(InternshipError, match="reason"):
        withdraw_sign_off(sign_off.mentor, sign_off, "  ")


def test_withdrawal_is_audited_with_its_reason_once(make_placement, sign, task, db):
    sign_off = sign(make_placement(), task("observe_open_account"))
    withdraw_sign_off(sign_off.mentor, sign_off, "记错了日期")
    withdraw_sign_off(sign_off.mentor, sign_off, "再点一次")
    entries = audit_actions(db, "internship.sign_off_withdraw")
    assert [(e.reason, e.actor_id) for e in entries] == [("记错了日期", sign_off.mentor_id)]


def test_a_trainer_countersigns_once_and_it_is_audited(make_placement, sign, task, make_user, db):
    sign_off = sign(make_placement(), task("observe_open_account"))
    trainer = make_user(Role.TRAINER)
    countersign(trainer, sign_off)
    countersign(trainer, sign_off)
    assert sign_off.countersigned_by_id == trainer.id
    assert len(audit_actions(db, "internship.countersign")) == 1


def test_a_mentor_cannot_countersign(make_placement, sign, task):
    sign_off = sign(make_placement(), task("observe_open_account"))
    with pytest.raises(InternshipError):
        countersign(sign_off.mentor, sign_off)


def test_placing_the_same_way_twice_changes_nothing(make_placement, make_user, db):
    placement = make_placement()
    again = place_trainee(
        make_user(Role.TRAINER),
        placement.enrolment,
        hall=placement.hall,
        mentor=placement.mentor,
        plan=placement.plan,
        start_date=placement.start_date,
        duty_manager=placement.duty_manager,
    )
    assert again.id == placement.id


def test_reassigning_without_a_reason_is_refused(make_placement, make_user):
    placement = make_placement()
    with pytest.raises(InternshipError, match="reason"):
        place_trainee(
            make_user(Role.TRAINER),
            placement.enrolment,
            hall=placement.hall,
            mentor=make_user(Role.MENTOR),
            plan=placement.plan,
            start_date=placement.start_date,
        )


def test_only_mentors_can_be_placed_as_mentor(make_placement, make_user, make_enrolment, plan):
    enrolment = make_enrolment()
    with pytest.raises(InternshipError, match="not a mentor"):
        place_trainee(
            make_user(Role.TRAINER),
            enrolment,
            hall=enrolment.user.hall or make_placement().hall,
            mentor=make_user(Role.TRAINEE),
            plan=plan,
            start_date=clock.today(),
        )

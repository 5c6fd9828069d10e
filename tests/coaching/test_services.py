"""Coaching rules: who may coach whom, what a record must say, follow-ups, acknowledgement."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.coaching.services import (
    CoachingError,
    acknowledge,
    follow_ups_due,
    open_record,
    record_outcome,
    unacknowledged_for,
)
from trainer.db import as_utc
from trainer.permissions import Role


@pytest.fixture
def trainee(make_enrolment):
    return make_enrolment().user


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


def actions(db, target_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(
                AuditEntry.target_type == "coaching_record", AuditEntry.target_id == str(target_id)
            )
            .order_by(AuditEntry.id)
        )
    )


def test_a_trainer_records_a_talk_with_focus_actions_and_follow_up(db, trainer, trainee):
    rec = open_record(
        trainer,
        trainee,
        agreed_actions="每天对镜练习问候语",
        discussion="问候语不完整",
        focus=[
            {"kind": "phrase", "key": "不知道", "label": "不知道 ×3"},
            {"kind": "phrase", "key": "不知道", "label": "dup"},
            {"kind": "bogus", "key": "x"},
        ],
        follow_up_on=clock.today() + timedelta(days=7),
    )
    db.session.commit()
    assert rec.status == "open" and rec.coach_id == trainer.id
    assert rec.focus == [{"kind": "phrase", "key": "不知道", "label": "不知道 ×3"}]
    assert rec.enrolment_id is not None
    assert actions(db, rec.id) == ["coaching.open"]


def test_agreed_actions_are_required(trainer, trainee):
    with pytest.raises(CoachingError, match="Agreed actions"):
        open_record(trainer, trainee, agreed_actions="   ")


def test_a_follow_up_cannot_precede_the_talk(trainer, trainee):
    with pytest.raises(CoachingError, match="Follow-up date"):
        open_record(
            trainer, trainee, agreed_actions="练习", follow_up_on=clock.today() - timedelta(days=1)
        )


def test_a_talk_cannot_be_dated_in_the_future(trainer, trainee):
    with pytest.raises(CoachingError, match="future"):
        open_record(
            trainer, trainee, agreed_actions="练习", held_on=clock.today() + timedelta(days=1)
        )


def test_a_mentor_coaches_their_own_mentee_only(db, make_enrolment, mentor, place, make_user):
    mine, theirs = make_enrolment(), make_enrolment()
    place(mine, mentor)
    place(theirs, make_user(Role.MENTOR, hall=mentor.hall))
    assert open_record(mentor, mine.user, agreed_actions="练习").coach_id == mentor.id
    with pytest.raises(CoachingError, match="own mentees"):
        open_record(mentor, theirs.user, agreed_actions="练习")


def test_a_mentor_loses_reach_when_the_placement_ends(db, make_enrolment, mentor, place, make_user):
    enrolment = make_enrolment()
    placement = place(enrolment, mentor)
    placement.active = False
    db.session.commit()
    with pytest.raises(CoachingError):
        open_record(mentor, enrolment.user, agreed_actions="练习")


def test_only_trainees_are_coached(trainer, make_user):
    with pytest.raises(CoachingError, match="not a trainee"):
        open_record(trainer, make_user(Role.MENTOR), agreed_actions="练习")


def test_follow_ups_due_list_open_records_by_date(db, trainer, make_enrolment):
    today = clock.today()
    late = open_record(
        trainer,
        make_enrolment().user,
        agreed_actions="甲",
        held_on=today - timedelta(days=9),
        follow_up_on=today - timedelta(days=2),
    )
    soon = open_record(
        trainer, make_enrolment().user, agreed_actions="乙", follow_up_on=today + timedelta(days=3)
    )
    open_record(
        trainer, make_enrolment().user, agreed_actions="丙", follow_up_on=today + timedelta(days=30)
    )
    closed = open_record(trainer, make_enrolment().user, agreed_actions="丁", follow_up_on=today)
    record_outcome(trainer, closed, "已改进")
    db.session.commit()
    assert [r.id for r in follow_ups_due(trainer)] == [late.id, soon.id]
    with clock.travel(days=30):
        assert len(follow_ups_due(trainer)) == 3


def test_an_outcome_closes_the_record_and_is_audited(db, trainer, trainee):
    rec = open_record(trainer, trainee, agreed_actions="练习")
    record_outcome(trainer, rec, "问候语已规范")
    db.session.commit()
    assert rec.closed and rec.outcome == "问候语已规范" and rec.closed_at is not None
    assert actions(db, rec.id) == ["coaching.open", "coaching.close"]
    with pytest.raises(CoachingError, match="already closed"):
        record_outcome(trainer, rec, "再次")


def test_an_outcome_may_set_the_next_follow_up_instead_of_closing(db, trainer, trainee):
    rec = open_record(trainer, trainee, agreed_actions="练习")
    later = clock.today() + timedelta(days=14)
    record_outcome(trainer, rec, "仍需巩固", close=False, follow_up_on=later)
    assert not rec.closed and rec.follow_up_on == later
    with pytest.raises(CoachingError, match="Next follow-up"):
        record_outcome(trainer, rec, "仍需巩固", close=False, follow_up_on=None)


def test_another_mentor_cannot_record_the_outcome(db, trainer, trainee, make_user):
    rec = open_record(trainer, trainee, agreed_actions="练习")
    with pytest.raises(CoachingError):
        record_outcome(make_user(Role.MENTOR), rec, "越权")


def test_the_trainee_acknowledges_once(db, trainer, trainee):
    rec = open_record(trainer, trainee, agreed_actions="练习")
    assert unacknowledged_for(trainee) == [rec]
    acknowledge(trainee, rec, "我会坚持练习")
    first = rec.acknowledged_at
    with clock.travel(days=1):
        acknowledge(trainee, rec, "again")
    db.session.commit()
    assert as_utc(rec.acknowledged_at) == first and rec.trainee_comment == "我会坚持练习"
    assert unacknowledged_for(trainee) == []
    assert actions(db, rec.id) == ["coaching.open", "coaching.acknowledge"]


def test_nobody_else_acknowledges_for_the_trainee(trainer, trainee, make_enrolment):
    rec = open_record(trainer, trainee, agreed_actions="练习")
    with pytest.raises(CoachingError):
        acknowledge(make_enrolment().user, rec)

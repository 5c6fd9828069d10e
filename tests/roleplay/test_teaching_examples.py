"""Trainers teach the scorer: an override approved as an example scores later replies."""

import pytest
from sqlalchemy import select

from trainer.audit.models import AuditEntry
from trainer.permissions import Role
from trainer.roleplay.examples import (
    ExampleError,
    add_example,
    approve_override_as_example,
    remove_example,
)
from trainer.roleplay.services import choose, override_elements, reply, spec_of, start_drill

ODD_REPLY = "您这事包我身上，三十块的来龙去脉我一查到底。"


def first_reply(trainee, scenario, text, matcher):
    session = start_drill(trainee, scenario)
    choose(session, "t1", 0, 0)
    return reply(session, "t2", 1, text, matcher)


def found(step, key):
    return next(e for e in step.findings["elements"] if e["key"] == key)


def test_an_approved_override_scores_the_same_reply_of_another_trainee_the_same_way(
    complaint, matcher, make_user, db
):
    trainer = make_user(Role.TRAINER)
    step = first_reply(make_user(Role.TRAINEE), complaint, ODD_REPLY, matcher)
    assert found(step, "next_step")["found"] is False
    override_elements(trainer, step, {"next_step": True}, "一查到底就是说明下一步")
    approve_override_as_example(trainer, step, "next_step", spec_of(step.session.version))
    db.session.commit()

    again = first_reply(make_user(Role.TRAINEE), complaint, ODD_REPLY, matcher)
    assert found(again, "next_step")["found"] is True
    assert found(again, "next_step")["basis"] == "taught"
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "roleplay.example_added" in actions


def test_only_an_element_the_trainer_changed_can_become_an_example(complaint, matcher, make_user):
    trainer = make_user(Role.TRAINER)
    step = first_reply(make_user(Role.TRAINEE), complaint, ODD_REPLY, matcher)
    with pytest.raises(ExampleError):
        approve_override_as_example(trainer, step, "apologise", spec_of(step.session.version))


def test_a_removed_example_no_longer_counts_and_the_removal_is_audited(
    complaint, matcher, make_user, db
):
    trainer = make_user(Role.TRAINER)
    spec = spec_of(complaint.versions[-1])
    example = add_example(trainer, complaint, spec, "t2", "next_step", ODD_REPLY, True)
    db.session.commit()
    assert found(first_reply(make_user(), complaint, ODD_REPLY, matcher), "next_step")["found"]
    remove_example(trainer, example)
    db.session.commit()
    assert not found(first_reply(make_user(), complaint, ODD_REPLY, matcher), "next_step")["found"]
    assert "roleplay.example_removed" in db.session.scalars(select(AuditEntry.action)).all()


def test_an_example_for_an_unknown_element_is_refused(complaint, make_user):
    spec = spec_of(complaint.versions[-1])
    with pytest.raises(ExampleError):
        add_example(make_user(Role.TRAINER), complaint, spec, "t2", "nope", "好的", True)


def test_a_reply_close_to_a_taught_example_but_not_the_same_is_flagged_for_review(
    complaint, matcher, make_user, db
):
    trainer = make_user(Role.TRAINER)
    spec = spec_of(complaint.versions[-1])
    add_example(trainer, complaint, spec, "t2", "next_step", ODD_REPLY, True)
    db.session.commit()
    step = first_reply(
        make_user(), complaint, "这事包我身上，三十块钱的来龙去脉我给您弄明白。", matcher
    )
    assert step.findings["needs_review"] is True

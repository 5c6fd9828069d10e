"""Playing drills: idempotent moves, stored findings, reviews with overrides, the path."""

import pytest
from sqlalchemy import select

from trainer.audit.models import AuditEntry
from trainer.permissions import Role
from trainer.roleplay.queries import pending_review_count
from trainer.roleplay.services import (
    DrillError,
    choose,
    override_elements,
    reply,
    required_elements_for_scenario,
    review_queue,
    start_drill,
)
from trainer.training.path import trainee_path
from trainer.training.stages import Stage

CARELESS = "不知道扣的什么，没办法。"


@pytest.fixture
def trainee(make_user):
    return make_user(Role.TRAINEE)


def play_to_first_reply(trainee, scenario, mode="practice"):
    session = start_drill(trainee, scenario, mode)
    choose(session, "t1", 0, 0)
    return session


def finish_complaint(session, matcher, first_reply=CARELESS):
    reply(session, "t2", 1, first_reply, matcher)
    choose(session, "t3", 2, 0)
    reply(
        session,
        "t4",
        3,
        "李经理，这位王先生的视频会员多扣了三十元，我查到了订购记录，他要求退费。",
        matcher,
    )
    choose(session, "t5", 4, 0)
    return session


def test_a_choice_is_stored_with_its_score_and_moves_the_scene_on(trainee, complaint):
    session = start_drill(trainee, complaint)
    step = choose(session, "t1", 0, 2)
    assert (step.turn_key, step.choice_index, step.points, step.max_points) == ("t1", 2, 2, 10)
    assert session.current_turn == "t1_angrier"


def test_resubmitting_the_same_move_changes_nothing(trainee, complaint):
    session = start_drill(trainee, complaint)
    first = choose(session, "t1", 0, 0)
    again = choose(session, "t1", 0, 0)
    assert again is first
    assert len(session.steps) == 1


def test_a_move_for_another_turn_is_refused(trainee, complaint):
    session = start_drill(trainee, complaint)
    with pytest.raises(DrillError):
        choose(session, "t3", 0, 0)


def test_a_bad_choice_ends_the_scene_badly_and_fails_it(trainee, complaint):
    session = start_drill(trainee, complaint)
    choose(session, "t1", 0, 1)
    assert (session.state, session.ending, session.outcome, session.passed) == (
        "finished",
        "brushed_off",
        "bad",
        False,
    )
    with pytest.raises(DrillError):
        choose(session, "t2", 1, 0)


def test_a_typed_reply_is_stored_with_its_findings(trainee, complaint, matcher):
    session = play_to_first_reply(trainee, complaint)
    step = reply(session, "t2", 1, CARELESS, matcher)
    assert [(f["matched"], f["start"], f["end"]) for f in step.findings["forbidden"]] == [
        ("不知道", 0, 3),
        ("没办法", 8, 11),
    ]
    assert step.points == 0
    assert session.current_turn == "t3"


def test_an_empty_reply_is_refused(trainee, complaint, matcher):
    session = play_to_first_reply(trainee, complaint)
    with pytest.raises(DrillError):
        reply(session, "t2", 1, "   ", matcher)


def test_finished_replies_wait_in_the_review_queue(trainee, complaint, matcher, db):
    session = finish_complaint(play_to_first_reply(trainee, complaint), matcher)
    assert session.outcome == "good"
    assert [s.turn_key for s in review_queue()] == ["t2", "t4"]


def test_a_drill_still_being_played_is_not_in_the_queue(trainee, complaint, matcher):
    session = play_to_first_reply(trainee, complaint)
    reply(session, "t2", 1, CARELESS, matcher)
    assert review_queue() == []


def test_a_trainer_override_changes_the_score_and_is_audited(
    trainee, complaint, matcher, make_user, db
):
    trainer = make_user(Role.TRAINER)
    session = finish_complaint(play_to_first_reply(trainee, complaint), matcher)
    step = session.steps[1]
    before = session.earned
    override_elements(trainer, step, {"apologise": True, "next_step": True}, "语气诚恳，意思到了")
    assert step.points == 0  # 4 points given back, still −6 for the two forbidden phrases
    override_elements(
        trainer,
        step,
        {"apologise": True, "next_step": True, "restate": True, "reassure": True},
        "意思到了",
    )
    assert step.points == 7 - 6
    assert session.earned == before + 1
    entry = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "roleplay.override")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry.reason == "意思到了"
    assert entry.after["overrides"]["restate"] is True
    assert step not in review_queue()


def test_an_override_without_a_comment_is_refused(trainee, complaint, matcher, make_user):
    session = finish_complaint(play_to_first_reply(trainee, complaint), matcher)
    with pytest.raises(DrillError):
        override_elements(make_user(Role.TRAINER), session.steps[1], {"apologise": True}, " ")


def test_setting_an_element_back_to_the_machine_verdict_removes_the_override(
    trainee, complaint, matcher, make_user
):
    trainer = make_user(Role.TRAINER)
    session = finish_complaint(play_to_first_reply(trainee, complaint), matcher)
    step = session.steps[1]
    override_elements(trainer, step, {"apologise": True}, "有致歉")
    override_elements(trainer, step, {"apologise": None}, "")
    assert step.overrides == []
    assert step.points == step.auto_points


def test_a_trainers_override_can_fail_a_scene_that_passed_automatically(
    trainee, complaint, matcher, make_user
):
    session = start_drill(trainee, complaint)
    choose(session, "t1", 0, 0)
    finish_complaint(session, matcher, first_reply="嗯。")
    reply_step = session.steps[3]
    assert reply_step.turn_key == "t4"
    # t1 10 + t2 0/7 + t3 10 + t4 7/7 + t5 10 = 37/44 = 84% ≥ 75: passed
    assert (session.percent, session.passed) == (84, True)
    override_elements(
        make_user(Role.TRAINER),
        reply_step,
        {"who": False, "problem": False, "done": False, "request": False},
        "太含糊",
    )
    assert (session.percent, session.passed) == (68, False)  # the trainer took t4's 7 away


def test_required_elements_for_a_scenario_cover_all_its_typed_turns(complaint):
    keys = [e.key for e in required_elements_for_scenario("complaint_overcharge_escalation")]
    assert keys == [
        "apologise",
        "restate",
        "next_step",
        "reassure",
        "who",
        "problem",
        "done",
        "request",
    ]


def test_required_elements_fall_back_to_the_repository_before_loading(db):
    assert required_elements_for_scenario("hotline_bill_enquiry")[0].label == "表示理解"


def test_an_unknown_scenario_has_no_required_elements(db):
    with pytest.raises(LookupError):
        required_elements_for_scenario("no_such_scene")


def test_pre_job_passed_needs_the_programmes_required_drills(
    complaint, make_enrolment, matcher, db
):
    enrolment = make_enrolment()
    assert enrolment.stage == Stage.PRE_JOB_TRAINING
    unmet = trainee_path.unmet(enrolment, Stage.PRE_JOB_PASSED)
    assert any(complaint.title in reason for reason in unmet)
    finish_complaint(
        play_to_first_reply(enrolment.user, complaint),
        matcher,
        first_reply="对不起，这三十块钱我马上帮您查一下，请稍等。",
    )
    unmet = trainee_path.unmet(enrolment, Stage.PRE_JOB_PASSED)
    assert not any(complaint.title in reason for reason in unmet)


def test_a_trainers_preview_never_counts(complaint, make_user, matcher):
    trainer = make_user(Role.TRAINER)
    session = start_drill(trainer, complaint, preview=True)
    choose(session, "t1", 0, 0)
    finish_complaint(session, matcher)
    assert review_queue() == []


def test_the_dashboard_counts_the_replies_of_the_review_queue(
    trainee, complaint, matcher, make_user
):
    finish_complaint(play_to_first_reply(trainee, complaint), matcher)
    playing = play_to_first_reply(make_user(Role.TRAINEE), complaint)
    reply(playing, "t2", 1, CARELESS, matcher)
    preview = start_drill(make_user(Role.TRAINER), complaint, preview=True)
    choose(preview, "t1", 0, 0)
    finish_complaint(preview, matcher)
    assert pending_review_count() == len(review_queue()) == 2

"""One test per event: who is told what, with a link to the thing, after the commit."""

from datetime import timedelta

from tests.certificates.conftest import bring_to
from tests.roleplay.test_drills import finish_complaint, play_to_first_reply
from trainer import clock
from trainer.certificates.bulk import issue_for_cohort
from trainer.certificates.services import issue_certificate
from trainer.coaching.services import open_record
from trainer.internship.models import Grade
from trainer.internship.services import add_log_entry
from trainer.permissions import Role
from trainer.quizzes.marking import essay_queue, grade_essay
from trainer.quizzes.models import Purpose
from trainer.quizzes.services import start_attempt, submit_attempt
from trainer.roleplay.services import choose, override_elements, start_drill
from trainer.training.stages import Stage


def test_a_mentor_hears_that_a_mentee_logged_practice(make_placement, notices, db):
    placement = make_placement()
    entry = add_log_entry(
        placement.enrolment.user,
        placement,
        day=clock.today(),
        what_happened="独立受理了一笔缴费，唱收唱付。",
        reflection="",
    )
    db.session.commit()
    name = placement.enrolment.user.name
    assert notices(placement.mentor) == [
        (
            "mentee_logged",
            f"{name} wrote in the practice log: 独立受理了一笔缴费，唱收唱付。",
            f"/internship/mentees/{placement.enrolment_id}#log-{entry.id}",
        )
    ]


def test_a_trainee_hears_that_a_task_was_signed_off(make_placement, sign, task, notices):
    placement = make_placement()
    sign(placement, task("observe_open_account"), grade=Grade.EXCELLENT)
    assert notices(placement.enrolment.user) == [
        (
            "task_signed_off",
            f"{placement.mentor.name} signed off your task “观摩开户”.",
            "/internship/my",
        )
    ]


def test_a_failed_observation_is_told_as_not_yet_passed(make_placement, sign, task, notices):
    placement = make_placement()
    sign(placement, task("greet_customers"), grade=Grade.FAIL)
    assert [kind for kind, _t, _l in notices(placement.enrolment.user)] == ["task_not_passed"]


def test_a_trainee_hears_that_an_essay_was_graded(make_quiz, make_enrolment, trainer, notices, db):
    enrolment = make_enrolment()
    attempt = start_attempt(enrolment.user, make_quiz(Purpose.PRACTICE, keys=["essay"]))
    submit_attempt(attempt, enrolment.user)
    db.session.commit()
    assert notices(enrolment.user) == []  # submitting tells nobody the trainee
    grade_essay(trainer, essay_queue()[0], 1, "要点齐全")
    db.session.commit()
    assert notices(enrolment.user) == [
        (
            "essay_graded",
            "Your answer in “岗前考试” was graded: 1 of 1 points.",
            f"/attempts/{attempt.id}/review",
        )
    ]


def test_a_trainee_hears_that_a_drill_reply_was_reviewed(
    make_user, complaint, matcher, trainer, notices, db
):
    trainee = make_user(Role.TRAINEE)
    session = finish_complaint(play_to_first_reply(trainee, complaint), matcher)
    db.session.commit()
    override_elements(trainer, session.steps[1], {"apologise": True}, "有致歉")
    db.session.commit()
    ((kind, text, link),) = notices(trainee)
    assert (kind, link) == ("drill_reviewed", f"/drills/sessions/{session.id}")
    assert complaint.title in text


def test_the_cohort_trainer_hears_once_a_day_that_replies_wait_for_review(
    make_user, make_enrolment, make_cohort, complaint, matcher, trainer, notices, db
):
    cohort = make_cohort(trainer=trainer)
    for _ in range(2):
        trainee = make_enrolment(make_user(Role.TRAINEE), cohort).user
        finish_complaint(play_to_first_reply(trainee, complaint), matcher)
        db.session.commit()
    assert notices(trainer) == [
        ("review_queue", "Drill replies are waiting in the review queue.", "/roleplay/review")
    ]


def test_a_preview_drill_tells_no_trainer(make_user, complaint, matcher, trainer, notices, db):
    session = start_drill(trainer, complaint, preview=True)
    choose(session, "t1", 0, 0)
    finish_complaint(session, matcher)
    db.session.commit()
    assert notices(trainer, "review_queue") == []


def test_a_trainee_is_asked_to_acknowledge_a_coaching_record(make_placement, notices, db):
    placement = make_placement()
    rec = open_record(placement.mentor, placement.enrolment.user, agreed_actions="每天复盘一笔业务")
    db.session.commit()
    assert notices(placement.enrolment.user) == [
        (
            "coaching_to_acknowledge",
            f"{placement.mentor.name} recorded your coaching talk of {clock.today().isoformat()}."
            " Please read and acknowledge it.",
            f"/coaching/{rec.id}",
        )
    ]


def test_a_trainee_hears_that_the_practical_assessment_was_recorded(
    make_finalist, checklist, mentor, assess, notices
):
    enrolment = make_finalist()
    assessment = assess(mentor, enrolment, read_back="not_met", comment="号码要复述")
    assert notices(enrolment.user) == [
        (
            "practical_failed",
            f"{mentor.name} recorded your practical assessment: not passed (80 / 100).",
            f"/practical/assessments/{assessment.id}",
        )
    ]


def test_a_trainee_hears_that_the_certificate_was_issued(
    make_enrolment, make_user, trainer, notices, db
):
    enrolment = make_enrolment(make_user(Role.TRAINEE, hall=None))
    bring_to(enrolment, Stage.FINAL_PASSED, trainer)
    db.session.commit()
    ((kind, text, link),) = notices(enrolment.user)
    assert (kind, link) == ("certificate_issued", "/")
    assert text.startswith("Your post certificate ") and text.endswith(" was issued.")


def test_the_trainer_hears_that_a_bulk_issue_finished(
    make_enrolment, make_cohort, make_user, trainer, notices, db
):
    cohort = make_cohort(trainer=trainer, name="2026年第二期")
    for _ in range(2):
        enrolment = make_enrolment(make_user(Role.TRAINEE), cohort)
        bring_to(enrolment, Stage.INTERNSHIP_COMPLETE, trainer)
        enrolment.stage = Stage.FINAL_PASSED
    db.session.commit()
    batch = issue_for_cohort(cohort, trainer)
    assert notices(trainer, "batch_finished") == [
        (
            "batch_finished",
            "Certificates for 2026年第二期 are done: 2 issued.",
            f"/certificates/batches/{batch.id}",
        )
    ]


def test_the_trainer_hears_that_a_bulk_issue_had_failures(
    make_enrolment, make_cohort, make_user, trainer, notices, db, app, monkeypatch
):
    cohort = make_cohort(trainer=trainer, name="2026年第三期")
    enrolment = make_enrolment(make_user(Role.TRAINEE), cohort)
    bring_to(enrolment, Stage.INTERNSHIP_COMPLETE, trainer)
    enrolment.stage = Stage.FINAL_PASSED
    db.session.commit()
    # A programme whose validity breaks the expiry date: issuing this trainee fails.
    monkeypatch.setattr(enrolment.programme, "certificate_valid_days", 10**9)
    issue_for_cohort(cohort, trainer)
    ((kind, text, _link),) = notices(trainer, "batch_failed")
    assert text == "Certificates for 2026年第三期: 0 issued, 1 failed."


def test_issuing_again_tells_nobody_twice(make_enrolment, make_user, trainer, notices, db):
    enrolment = make_enrolment(make_user(Role.TRAINEE))
    bring_to(enrolment, Stage.FINAL_PASSED, trainer)
    db.session.commit()
    issue_certificate(enrolment, trainer)
    db.session.commit()
    assert len(notices(enrolment.user, "certificate_issued")) == 1


def test_timestamps_are_those_of_the_clock(make_placement, sign, task, db, notices):
    placement = make_placement()
    with clock.travel(days=3):
        sign(placement, task("observe_open_account"), on=clock.today() - timedelta(days=1))
    assert len(notices(placement.enrolment.user)) == 1

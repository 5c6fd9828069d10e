"""Attempts through the services: versions pinned, autosave, timer, idempotent submit, path."""

from datetime import timedelta

import pytest
from flask_babel import gettext
from sqlalchemy import func, select

from tests.quizzes.conftest import move_to
from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.db import as_utc
from trainer.quizzes.availability import unavailable_reasons
from trainer.quizzes.banks import as_native, edit_question
from trainer.quizzes.demo import model_answer
from trainer.quizzes.marking import essay_queue, grade_essay, regrade_question
from trainer.quizzes.models import Attempt, AttemptState, GradingMethod, Purpose, Question
from trainer.quizzes.question_types import get_question_type
from trainer.quizzes.results import quiz_grade
from trainer.quizzes.services import (
    QuizError,
    close_overdue,
    load_responses,
    save_answers,
    start_attempt,
    submit_attempt,
)
from trainer.training.stages import Stage


def answer_everything(attempt, well=True):
    """Fill the form fields the way the browser would (display positions, not indexes)."""
    fields, slots = {}, []
    for response in load_responses(attempt):
        version = response.version
        kind = get_question_type(version.type)
        value = model_answer(version.type, version.payload) if well else None
        if not well and version.type == "single_choice":
            value = next(
                i for i, c in enumerate(version.payload["choices"]) if not c.get("fraction")
            )
        for suffix, values in kind.form_values(version.payload, response.layout, value).items():
            fields[f"q-{response.slot}" + (f"-{suffix}" if suffix else "")] = values
        slots.append(response.slot)
    return fields, slots


def test_an_attempt_pins_the_current_version_of_each_question(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc"])
    attempt = start_attempt(trainee_in_training.user, quiz)
    assert [r.version.number for r in load_responses(attempt)] == [1]


def test_starting_twice_resumes_the_same_attempt(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRACTICE)
    first = start_attempt(trainee_in_training.user, quiz)
    db.session.commit()
    assert start_attempt(trainee_in_training.user, quiz).id == first.id


def test_saved_answers_come_back_in_the_form(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRACTICE)
    attempt = start_attempt(trainee_in_training.user, quiz)
    fields, slots = answer_everything(attempt)
    assert save_answers(attempt, fields, slots)
    db.session.commit()
    db.session.expire_all()
    again, _ = answer_everything(db.session.get(Attempt, attempt.id))
    assert again == fields


def test_full_marks_pass_and_move_the_trainee_on(db, make_quiz, trainee_in_training, trainer):
    quiz = make_quiz(Purpose.PRE_JOB)
    attempt = start_attempt(trainee_in_training.user, quiz)
    save_answers(attempt, *answer_everything(attempt))
    submit_attempt(attempt, trainee_in_training.user)
    assert attempt.state == AttemptState.SUBMITTED  # the essay waits for a trainer
    essay = essay_queue()[0]
    grade_essay(trainer, essay, 1, "要点齐全")
    db.session.commit()
    assert (attempt.state, attempt.passed, attempt.percent) == (AttemptState.GRADED, True, 100)
    assert trainee_in_training.stage == Stage.PRE_JOB_PASSED


def test_a_failed_exam_records_the_attempt_and_the_stage_stays(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRE_JOB, keys=["sc", "tf"])
    attempt = start_attempt(trainee_in_training.user, quiz)
    save_answers(attempt, *answer_everything(attempt, well=False))
    submit_attempt(attempt, trainee_in_training.user)
    db.session.commit()
    assert (attempt.state, attempt.passed) == (AttemptState.GRADED, False)
    assert trainee_in_training.stage == Stage.PRE_JOB_TRAINING


def test_submitting_twice_grades_once(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf"])
    attempt = start_attempt(trainee_in_training.user, quiz)
    save_answers(attempt, *answer_everything(attempt))
    submit_attempt(attempt, trainee_in_training.user)
    db.session.commit()

    def result(attempt):
        graded = [(r.slot, r.score, r.fraction, r.feedback) for r in load_responses(attempt)]
        totals = (attempt.state, attempt.score, attempt.percent, attempt.passed)
        return totals, (attempt.submitted_at, attempt.graded_at), graded

    first = result(attempt)
    assert first[0] == (AttemptState.GRADED, 2, 100, True)
    with clock.travel(minutes=5):  # a second grading would stamp a later time
        again = submit_attempt(db.session.get(Attempt, attempt.id), trainee_in_training.user)
        db.session.commit()
    db.session.expire_all()
    assert result(db.session.get(Attempt, again.id)) == first


def test_answers_are_refused_after_submission(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc"])
    attempt = start_attempt(trainee_in_training.user, quiz)
    submit_attempt(attempt, trainee_in_training.user)
    fields, slots = answer_everything(attempt)
    assert not save_answers(attempt, fields, slots)
    assert load_responses(attempt)[0].answer is None


def test_the_attempts_limit_comes_from_the_programme(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRE_JOB, keys=["tf"])
    for _ in range(trainee_in_training.programme.exam_attempts):
        submit_attempt(start_attempt(trainee_in_training.user, quiz), None)
    db.session.commit()
    allowed = trainee_in_training.programme.exam_attempts
    with pytest.raises(QuizError, match=str(allowed)):  # "no attempts left (3 allowed)"
        start_attempt(trainee_in_training.user, quiz)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == allowed


class TestTimer:
    def test_overdue_attempts_are_submitted_with_their_saved_answers(
        self, db, make_quiz, trainee_in_training
    ):
        quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf"], time_limit_minutes=10)
        attempt = start_attempt(trainee_in_training.user, quiz)
        save_answers(attempt, *answer_everything(attempt))
        db.session.commit()
        with clock.travel(minutes=10, seconds=31):
            assert close_overdue() == 1
        db.session.commit()
        assert (attempt.state, attempt.auto_submitted, attempt.percent) == (
            AttemptState.GRADED,
            True,
            100,
        )

    def test_within_the_grace_period_answers_are_still_saved(
        self, db, make_quiz, trainee_in_training
    ):
        quiz = make_quiz(Purpose.PRACTICE, keys=["sc"], time_limit_minutes=10)
        attempt = start_attempt(trainee_in_training.user, quiz)
        with clock.travel(minutes=10, seconds=20):
            assert save_answers(attempt, *answer_everything(attempt))
            assert close_overdue() == 0

    def test_a_save_after_the_grace_period_closes_the_attempt(
        self, db, make_quiz, trainee_in_training
    ):
        quiz = make_quiz(Purpose.PRACTICE, keys=["sc"], time_limit_minutes=10)
        attempt = start_attempt(trainee_in_training.user, quiz)
        with clock.travel(minutes=11):
            assert not save_answers(attempt, *answer_everything(attempt))
        assert attempt.state == AttemptState.GRADED and attempt.percent == 0

    def test_the_deadline_is_the_quiz_closing_time_when_earlier(
        self, db, make_quiz, trainee_in_training
    ):
        quiz = make_quiz(Purpose.PRACTICE, keys=["sc"], time_limit_minutes=60)
        quiz.close_at = clock.now() + timedelta(minutes=5)
        attempt = start_attempt(trainee_in_training.user, quiz)
        assert as_utc(attempt.deadline) == quiz.close_at  # SQLite hands back naive UTC


class TestGradingMethod:
    def test_highest_keeps_a_pass_after_a_worse_attempt(self, db, make_quiz, trainee_in_training):
        quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf"], grading_method="highest")
        for well in (True, False):
            attempt = start_attempt(trainee_in_training.user, quiz)
            save_answers(attempt, *answer_everything(attempt, well))
            submit_attempt(attempt, None)
        assert quiz.grading_method == GradingMethod.HIGHEST
        assert quiz_grade(quiz, trainee_in_training.user) == 100


class TestAvailability:
    def test_final_exam_waits_for_the_internship(self, db, make_quiz, trainee_in_training):
        quiz = make_quiz(Purpose.FINAL, keys=["sc"])
        assert unavailable_reasons(quiz, trainee_in_training.user)

    def test_final_exam_opens_when_the_internship_is_complete(
        self, db, make_quiz, trainee_in_training
    ):
        quiz = make_quiz(Purpose.FINAL, keys=["sc"])
        move_to(trainee_in_training, Stage.INTERNSHIP_COMPLETE, db)
        assert unavailable_reasons(quiz, trainee_in_training.user) == []

    def test_a_certified_trainee_is_told_the_exams_are_passed_not_ahead(
        self, db, make_quiz, trainee_in_training
    ):
        final, pre_job = make_quiz(Purpose.FINAL, keys=["sc"]), make_quiz(keys=["sc"])
        move_to(trainee_in_training, Stage.CERTIFIED, db)
        user = trainee_in_training.user
        assert unavailable_reasons(final, user) == ["You have already passed the final exam."]
        assert unavailable_reasons(pre_job, user) == ["You have already passed the pre-job exam."]

    def test_refresher_only_for_certified_staff(self, db, make_quiz, trainee_in_training):
        quiz = make_quiz(Purpose.REFRESHER, keys=["sc"])
        assert unavailable_reasons(quiz, trainee_in_training.user)

    def test_pre_job_exam_closed_once_passed(self, db, make_quiz, trainee_in_training):
        quiz = make_quiz(Purpose.PRE_JOB, keys=["sc"])
        move_to(trainee_in_training, Stage.PRE_JOB_PASSED, db)
        assert unavailable_reasons(quiz, trainee_in_training.user)

    def test_quiz_restricted_to_another_cohort(
        self, db, make_quiz, trainee_in_training, make_cohort
    ):
        quiz = make_quiz(Purpose.PRACTICE, keys=["sc"])
        quiz.cohorts = [make_cohort(name="另一期")]
        reasons = unavailable_reasons(quiz, trainee_in_training.user)
        assert reasons == [gettext("This quiz is not open to your cohort.")]


class TestVersions:
    def edit_key(self, db, bank):
        question = db.session.scalar(select(Question).where(Question.key == "sc"))
        fixed = as_native(question)
        fixed["choices"] = [
            dict(c, fraction=1 if i == 1 else 0) for i, c in enumerate(fixed["choices"])
        ]
        return question, edit_question(None, question, fixed)

    def test_editing_creates_a_version_and_old_attempts_keep_theirs(
        self, db, bank, make_quiz, trainee_in_training
    ):
        quiz = make_quiz(Purpose.PRACTICE, keys=["sc"])
        attempt = start_attempt(trainee_in_training.user, quiz)
        save_answers(attempt, *answer_everything(attempt))
        submit_attempt(attempt, None)
        question, version = self.edit_key(db, bank)
        assert version.number == 2
        assert load_responses(attempt)[0].version.number == 1 and attempt.percent == 100

    def test_regrading_moves_attempts_to_the_fixed_version_and_audits(
        self, db, bank, make_quiz, trainee_in_training
    ):
        quiz = make_quiz(Purpose.PRACTICE, keys=["sc"])
        attempt = start_attempt(trainee_in_training.user, quiz)
        save_answers(attempt, *answer_everything(attempt))
        submit_attempt(attempt, None)
        question, _ = self.edit_key(db, bank)
        assert regrade_question(None, question) == 1
        assert attempt.percent == 0
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "attempt.regrade"))
        assert entry.before["score"] == 1 and entry.after["score"] == 0

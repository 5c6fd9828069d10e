"""Who may start which quiz when: the stage of the path, dates, cohorts and attempts left."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from trainer import clock
from trainer.db import as_utc
from trainer.extensions import db
from trainer.quizzes.models import Attempt, Purpose, Quiz
from trainer.quizzes.requirements import passed_final_exam, passed_pre_job_exam
from trainer.training.models import Enrolment
from trainer.training.path import trainee_path
from trainer.training.services import current_enrolment
from trainer.training.stages import Stage

EXAMS = (Purpose.PRE_JOB, Purpose.FINAL, Purpose.REFRESHER)


def attempts_allowed(quiz: Quiz) -> int | None:
    if quiz.attempts_allowed is not None:
        return quiz.attempts_allowed or None  # 0 means unlimited
    return quiz.programme.exam_attempts if quiz.purpose in EXAMS else None


EXAM_REQUIREMENTS = frozenset({passed_pre_job_exam, passed_final_exam})


def other_requirements_met(enrolment: Enrolment, stage) -> list[str]:
    """The stage's requirements other than passing this very exam (the other features'),
    leaving out those marked `parallel` (e.g. the practical assessment: either comes first)."""
    mine = EXAM_REQUIREMENTS
    return [
        reason
        for check in trainee_path.requirements_for(stage)
        if check not in mine and not getattr(check, "parallel", False)
        for reason in check(enrolment)
    ]


def stage_reasons(quiz: Quiz, enrolment: Enrolment, memo: dict | None = None) -> list[str]:
    """Why the trainee's stage does not allow this kind of quiz; `memo` caches per purpose."""
    if memo is not None:
        if quiz.purpose not in memo:
            memo[quiz.purpose] = _stage_reasons(quiz, enrolment)
        return memo[quiz.purpose]
    return _stage_reasons(quiz, enrolment)


def _stage_reasons(quiz: Quiz, enrolment: Enrolment) -> list[str]:
    stage = enrolment.stage
    if quiz.purpose == Purpose.PRACTICE:
        return [] if stage.reached(Stage.PRE_JOB_TRAINING) else [_("Training has not started yet.")]
    if quiz.purpose == Purpose.PRE_JOB:
        if stage.reached(Stage.PRE_JOB_PASSED):
            return [_("You have already passed the pre-job exam.")]
        if stage != Stage.PRE_JOB_TRAINING:
            return [_("The pre-job exam is for trainees in pre-job training.")]
        return other_requirements_met(enrolment, Stage.PRE_JOB_PASSED)
    if quiz.purpose == Purpose.FINAL:
        if stage.reached(Stage.FINAL_PASSED):
            return [_("You have already passed the final exam.")]
        if stage != Stage.INTERNSHIP_COMPLETE:
            return [_("The final exam opens when the internship is complete.")]
        return other_requirements_met(enrolment, Stage.FINAL_PASSED)
    return [] if stage == Stage.CERTIFIED else [_("Refresher quizzes are for certified staff.")]


def unavailable_reasons(
    quiz: Quiz,
    user,
    enrolment: Enrolment | None = None,
    attempts_used: int | None = None,
    memo: dict | None = None,
) -> list[str]:
    """Why `user` cannot start a new attempt now; empty when they can."""
    enrolment = enrolment or current_enrolment(user)
    if not quiz.published:
        return [_("This quiz is not published.")]
    if enrolment is None or enrolment.programme_id != quiz.programme_id:
        return [_("You are not enrolled in this quiz's programme.")]
    if quiz.cohorts and enrolment.cohort_id not in {c.id for c in quiz.cohorts}:
        return [_("This quiz is not open to your cohort.")]
    now = clock.now()
    if quiz.open_at and now < as_utc(quiz.open_at):
        return [_("This quiz opens later.")]
    if quiz.close_at and now >= as_utc(quiz.close_at):
        return [_("This quiz is closed.")]
    if reasons := stage_reasons(quiz, enrolment, memo):
        return reasons
    allowed = attempts_allowed(quiz)
    if attempts_used is None:
        attempts_used = (
            db.session.scalar(
                select(func.count())
                .select_from(Attempt)
                .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
            )
            or 0
        )
    if allowed is not None and attempts_used >= allowed:
        return [_("No attempts left (%(allowed)d allowed).", allowed=allowed)]
    return []

"""The review policy (Moodle's review options): what a trainee sees of a finished attempt and
when — the marks, the feedback, the right answers — each opening immediately, after the quiz
closes, after the trainee's last allowed attempt, or never.

Pure rules plus one count; every page that shows a trainee a finished attempt asks `shows`.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from trainer import clock
from trainer.db import as_utc
from trainer.extensions import db
from trainer.quizzes.availability import attempts_allowed
from trainer.quizzes.drawing import is_gating
from trainer.quizzes.models import Attempt, AttemptState, Quiz, ReviewWhen

POLICY_FIELDS = ("review_when", "review_feedback_when", "review_answers_when")
# While attempts remain a gating exam's right answers stay hidden: a trainee who has seen them
# could sit the exam again knowing the key.
SAFE_FOR_EXAM_ANSWERS = frozenset({ReviewWhen.AFTER_LAST_ATTEMPT, ReviewWhen.NEVER})


@dataclass(frozen=True)
class ReviewShows:
    marks: bool = False
    feedback: bool = False
    answers: bool = False

    @property
    def anything(self) -> bool:
        return self.marks or self.feedback or self.answers


def default_policy(purpose) -> dict[str, str]:
    """Practice shows everything at once; a gating exam marks and feedback, never the key."""
    if is_gating(purpose):
        return {
            "review_when": ReviewWhen.IMMEDIATELY.value,
            "review_feedback_when": ReviewWhen.IMMEDIATELY.value,
            "review_answers_when": ReviewWhen.NEVER.value,
        }
    return dict.fromkeys(POLICY_FIELDS, ReviewWhen.IMMEDIATELY.value)


def policy_errors(spec: dict) -> list[str]:
    """A gating exam whose policy could show the right answer while attempts remain."""
    when = spec.get("review_answers_when")
    if when and is_gating(spec.get("purpose")) and ReviewWhen(when) not in SAFE_FOR_EXAM_ANSWERS:
        return [
            f"quiz {spec.get('key', '?')}: review_answers_when {when!r}: a {spec['purpose']} "
            "exam shows the right answers only after_last_attempt or never"
        ]
    return []


def is_open(when: ReviewWhen, quiz: Quiz, attempts_used: int) -> bool:
    if when == ReviewWhen.IMMEDIATELY:
        return True
    if when == ReviewWhen.AFTER_CLOSE:
        return quiz.close_at is not None and clock.now() >= as_utc(quiz.close_at)
    if when == ReviewWhen.AFTER_LAST_ATTEMPT:
        allowed = attempts_allowed(quiz)
        return allowed is not None and attempts_used >= allowed
    return False


def attempts_used(quiz: Quiz, user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Attempt)
            .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user_id)
        )
        or 0
    )


def shows(attempt: Attempt, used: int | None = None) -> ReviewShows:
    """What the attempt's owner may see of it now; nothing while it is in progress.

    Feedback and right answers follow the marks: a review without marks shows nothing else.
    """
    if attempt.state == AttemptState.IN_PROGRESS:
        return ReviewShows()
    quiz = attempt.quiz
    used = attempts_used(quiz, attempt.user_id) if used is None else used
    marks = is_open(quiz.review_when, quiz, used)
    return ReviewShows(
        marks=marks,
        feedback=marks and is_open(quiz.review_feedback_when, quiz, used),
        answers=marks and is_open(quiz.review_answers_when, quiz, used),
    )


STAFF_VIEW = ReviewShows(marks=True, feedback=True, answers=True)

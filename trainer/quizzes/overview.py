"""The trainee's quiz list: every published quiz of their programme with their attempts.

Read-only (the list and the dashboard panel are GETs): an attempt whose time ran out is shown
as closed and left for the close-overdue job to submit.
"""

from sqlalchemy import select

from trainer.extensions import db
from trainer.quizzes.availability import attempts_allowed, unavailable_reasons
from trainer.quizzes.grading import combined_grade, is_pass
from trainer.quizzes.models import Attempt, AttemptState, Quiz
from trainer.quizzes.review import is_open
from trainer.quizzes.services import is_overdue
from trainer.training.services import current_enrolment


def quiz_rows(user) -> list[dict]:
    """The trainee's quizzes with their attempts, grade and why one cannot start (reads only)."""
    enrolment = current_enrolment(user)
    if enrolment is None:
        return []
    quizzes = db.session.scalars(
        select(Quiz)
        .where(Quiz.programme_id == enrolment.programme_id, Quiz.published.is_(True))
        .order_by(Quiz.purpose, Quiz.title)
    ).all()
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.number)
    ).all()
    rows, memo = [], {}
    for quiz in quizzes:
        mine = [a for a in attempts if a.quiz_id == quiz.id]
        # An attempt past its deadline is no longer open; the close-overdue job submits it.
        open_attempt = next(
            (a for a in mine if a.state == AttemptState.IN_PROGRESS and not is_overdue(a)), None
        )
        graded = [a.percent for a in mine if a.state == AttemptState.GRADED]
        grade = combined_grade(quiz.grading_method, graded)
        rows.append(
            {
                "quiz": quiz,
                "attempts": mine,
                "open_attempt": open_attempt,
                "allowed": attempts_allowed(quiz),
                # the quiz's review policy may keep the marks back; passing is always shown
                "grade": grade if is_open(quiz.review_when, quiz, len(mine)) else None,
                "passed": grade is not None and is_pass(grade, quiz.pass_percent),
                "reasons": []
                if open_attempt
                else unavailable_reasons(quiz, user, enrolment, len(mine), memo),
            }
        )
    return rows

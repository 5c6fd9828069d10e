"""A trainee's results on a quiz: graded attempts, the quiz grade, passed or not.

Read-only and free of the attempt engine, so the path requirements and the availability
rules can use it without importing the engine (no import cycle)."""

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from trainer.accounts.models import User
from trainer.accounts.search import user_matches
from trainer.extensions import db
from trainer.quizzes.grading import combined_grade, is_pass
from trainer.quizzes.models import Attempt, AttemptState, Purpose, Quiz


def graded_attempts(quiz: Quiz, user) -> list[Attempt]:
    return db.session.scalars(
        select(Attempt)
        .where(
            Attempt.quiz_id == quiz.id,
            Attempt.user_id == user.id,
            Attempt.state == AttemptState.GRADED,
        )
        .order_by(Attempt.number)
    ).all()


def quiz_grade(quiz: Quiz, user) -> float | None:
    return combined_grade(quiz.grading_method, [a.percent for a in graded_attempts(quiz, user)])


def has_passed(user, programme_id: int, purpose: Purpose) -> bool:
    quizzes = db.session.scalars(
        select(Quiz).where(Quiz.programme_id == programme_id, Quiz.purpose == purpose)
    ).all()
    return any(is_pass(quiz_grade(quiz, user), quiz.pass_percent) for quiz in quizzes)


def quiz_attempts(quiz: Quiz, *, q: str = "", state: AttemptState | None = None) -> Select:
    """Every trainee's attempts at `quiz`, newest first, narrowed by a trainee search and a
    state: a statement for `db.paginate` (index `ix_attempt_quiz_started`)."""
    query = (
        select(Attempt)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.quiz_id == quiz.id)
        .options(contains_eager(Attempt.user))
    )
    if q:
        query = query.where(user_matches(q))
    if state is not None:
        query = query.where(Attempt.state == state)
    return query.order_by(Attempt.started_at.desc(), Attempt.id.desc())

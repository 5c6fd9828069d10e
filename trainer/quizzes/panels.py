"""Dashboard panels: exams and results for trainees, the essay queue for trainers."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from trainer.extensions import db
from trainer.quizzes.models import Attempt, AttemptState, Response
from trainer.quizzes.overview import quiz_rows


def trainee_quiz_panel(user) -> dict | None:
    rows = quiz_rows(user)
    return {"rows": rows} if rows else None


def trainer_grading_panel(user) -> dict:
    pending = db.session.scalar(
        select(func.count(Response.id))
        .join(Attempt)
        .where(Response.needs_grading.is_(True), Attempt.state == AttemptState.SUBMITTED)
    )
    recent = db.session.scalars(
        select(Attempt)
        .where(Attempt.state != AttemptState.IN_PROGRESS)
        .options(joinedload(Attempt.user), joinedload(Attempt.quiz))
        .order_by(Attempt.submitted_at.desc())
        .limit(5)
    ).all()
    return {"pending": pending or 0, "recent": recent}

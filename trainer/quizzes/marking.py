"""After submission: the essay queue, hand grading, regrading after a fix, and results."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from trainer import clock
from trainer.audit.services import record
from trainer.events import announce
from trainer.extensions import db
from trainer.quizzes.models import (
    Attempt,
    AttemptState,
    Question,
    QuestionVersion,
    Response,
)
from trainer.quizzes.question_types import get_question_type
from trainer.quizzes.services import QuizError, finalise, grade_response

ESSAY_GRADED = "quizzes.essay_graded"  # announced with response_id, actor_id


def grade_essay(actor, response: Response, points: float, comment: str = "") -> Response:
    if not get_question_type(response.version.type).manual:
        raise QuizError(_l("only essays are graded by hand"))
    if response.attempt.state == AttemptState.IN_PROGRESS:
        raise QuizError(_l("the attempt is still in progress"))
    if not 0 <= points <= response.version.points:
        raise QuizError(
            _l("points must be between 0 and %(points)s"), points=f"{response.version.points:g}"
        )
    before = response.score
    response.score, response.fraction = points, points / response.version.points
    response.grader_comment = comment.strip() or None
    response.graded_by_id, response.graded_at = actor.id, clock.now()
    response.needs_grading = False
    db.session.flush()
    record(
        actor,
        "attempt.grade_essay",
        response.attempt,
        before={"score": before},
        after={"score": points, "slot": response.slot},
    )
    finalise(response.attempt, actor)
    announce(ESSAY_GRADED, response_id=response.id, actor_id=actor.id)
    return response


def essay_queue() -> list[Response]:
    return db.session.scalars(
        select(Response)
        .join(Attempt)
        .where(Response.needs_grading.is_(True), Attempt.state == AttemptState.SUBMITTED)
        .options(
            selectinload(Response.attempt).options(
                joinedload(Attempt.user), joinedload(Attempt.quiz)
            )
        )
        .order_by(Attempt.submitted_at, Response.slot)
    ).all()


def same_shape(old: QuestionVersion, new: QuestionVersion) -> bool:
    """Whether a stored layout (permutations of choices/items) still fits the new version."""

    def shape(version: QuestionVersion) -> dict:
        return {k: len(v) for k, v in version.payload.items() if isinstance(v, list)}

    return old.type == new.type and shape(old) == shape(new)


def regrade_question(actor, question: Question) -> int:
    """Move finished attempts that saw an older version onto the current one and regrade them.

    For fixing a wrong key: every changed attempt is audited with its old and new score.
    Returns the number of attempts whose score changed.
    """
    current = question.current
    responses = db.session.scalars(
        select(Response)
        .join(QuestionVersion)
        .join(Attempt)
        .where(
            QuestionVersion.question_id == question.id,
            Response.question_version_id != current.id,
            Attempt.state != AttemptState.IN_PROGRESS,
        )
    ).all()
    changed = 0
    for response in responses:
        attempt = response.attempt
        before = {
            "score": attempt.score,
            "passed": attempt.passed,
            "version": response.version.number,
        }
        if not same_shape(response.version, current):
            response.layout = get_question_type(current.type).make_layout(current.payload, None)
        response.version = current
        grade_response(response)
        finalise(attempt, actor)
        if attempt.score != before["score"]:
            changed += 1
        record(
            actor,
            "attempt.regrade",
            attempt,
            before=before,
            after={"score": attempt.score, "passed": attempt.passed, "version": current.number},
        )
    return changed

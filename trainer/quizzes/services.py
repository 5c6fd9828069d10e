"""Attempts: starting by the quiz's rules, autosave, the server-side timer, idempotent submit
and automatic grading. Views call these and commit (availability.py says who may start,
marking.py covers hand grading, regrading and results)."""

import random
import re
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from trainer import clock
from trainer.audit.services import record
from trainer.db import as_utc
from trainer.errors import DomainError
from trainer.events import announce
from trainer.extensions import db
from trainer.quizzes.availability import EXAMS, attempts_allowed, unavailable_reasons
from trainer.quizzes.grading import exact, grade_answer, mark, percent, score_passes
from trainer.quizzes.models import (
    Attempt,
    AttemptState,
    Purpose,
    QuestionVersion,
    Quiz,
    Response,
)
from trainer.quizzes.question_types import get_question_type, grading_resources
from trainer.quizzes.start_plan import DrawError, start_plan
from trainer.training.path import trainee_path
from trainer.training.services import current_enrolment

REFRESHER_PASSED = "quizzes.refresher_passed"  # event: attempt_id, actor_id
FIELD_NAME = re.compile(r"^q-(\d+)(?:-(\w+))?$")


class QuizError(DomainError):
    """A rule about quizzes was broken; the message is safe to show."""


def grace() -> timedelta:
    return timedelta(seconds=current_app.config.get("QUIZ_GRACE_SECONDS", 30))


# ---- building an attempt ---------------------------------------------------------------


def latest_versions(question_ids) -> dict[int, QuestionVersion]:
    newest = (
        select(func.max(QuestionVersion.id))
        .where(QuestionVersion.question_id.in_(question_ids))
        .group_by(QuestionVersion.question_id)
    )
    versions = db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(newest)))
    return {v.question_id: v for v in versions}


def pick_questions(quiz: Quiz, rng: random.Random) -> list[int]:
    """Question ids by the quiz's rules: fixed ones, then `count` random ones per rule.

    Random rules draw only automatically graded questions: essays are added as fixed
    questions, so every trainee of a quiz gets a comparable written task. Random rules draw
    only the usages the quiz's purpose allows (drawing.py), narrowed by the rule's category,
    tag and usage (rule_pool.py); a fixed exam-only question is never put into a practice
    quiz (setting up a quiz refuses such rules in the first place).
    The pool comes from the quiz's cached start plan (start_plan.py), so picking is in memory.
    """
    return draw(quiz, rng)[0]


def draw(quiz: Quiz, rng: random.Random) -> tuple[list[int], dict]:
    """The picked question ids and the current version of each (one statement when cached)."""
    plan = start_plan(quiz)
    try:
        return plan.pick(rng, quiz.shuffle_questions), plan.versions
    except DrawError as exc:
        raise QuizError(exc.template, **exc.params) from None


def deadline_for(quiz: Quiz, started: datetime) -> datetime | None:
    ends = [started + timedelta(minutes=quiz.time_limit_minutes)] if quiz.time_limit_minutes else []
    if quiz.close_at:
        ends.append(as_utc(quiz.close_at))
    return min(ends) if ends else None


def in_progress_attempt(quiz: Quiz, user) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.quiz_id == quiz.id,
            Attempt.user_id == user.id,
            Attempt.state == AttemptState.IN_PROGRESS,
        )
    )


def start_attempt(user, quiz: Quiz, rng: random.Random | None = None) -> Attempt:
    """Resume the open attempt or start attempt n+1 (two tabs at once get the same one).

    Raises QuizError when the quiz is not available to the user (see `unavailable_reasons`).
    These checks give the trainee a reason; the database holds the rules themselves (see
    `insert_attempt`), so requests racing past the checks cannot break them.
    """
    if (attempt := in_progress_attempt(quiz, user)) is not None and not close_if_overdue(attempt):
        return attempt
    # No count of the attempts used: the INSERT's WHERE refuses attempt n+1 past the limit
    # with the same reason (one statement less per start, issue 21).
    if reasons := unavailable_reasons(quiz, user, attempts_used=0):
        raise QuizError(reasons[0])
    return build_attempt(user, quiz, rng, limit=attempts_allowed(quiz))


def insert_attempt(quiz: Quiz, user, started: datetime, limit: int | None) -> Attempt | None:
    """INSERT attempt n+1 in one statement and return it (RETURNING the row, so it is not read
    back); None when `limit` is used up.

    The number is computed by the INSERT itself and the limit is its WHERE, so no other
    transaction can slip in between a check and the insert; two racing inserts compute the
    same number, and the unique keys (quiz, user, number) and "one open attempt per quiz and
    user" (a partial unique index) refuse the second with an IntegrityError.
    """
    table = Attempt.__table__
    used = (
        select(func.coalesce(func.max(Attempt.number), 0))
        .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
        .scalar_subquery()
    )
    values = {
        "quiz_id": quiz.id,
        "user_id": user.id,
        "state": AttemptState.IN_PROGRESS,
        "started_at": started,
        "deadline": deadline_for(quiz, started),
        "auto_submitted": False,
        "max_score": 0.0,
    }
    row = select(*(literal(v, table.c[name].type) for name, v in values.items()), used + 1)
    if limit is not None:
        row = row.where(used < limit)
    return db.session.scalar(
        insert(Attempt).from_select([*values, "number"], row).returning(Attempt)
    )


def build_attempt(
    user, quiz: Quiz, rng: random.Random | None = None, *, limit: int | None = None
) -> Attempt:
    """Draw the questions and pin their current versions and layouts (no availability check
    but `limit`, the number of attempts allowed, which the INSERT itself holds)."""
    rng = rng or random.Random()
    ids, versions = draw(quiz, rng)
    try:
        with db.session.begin_nested():
            attempt = insert_attempt(quiz, user, clock.now(), limit)
    except IntegrityError:  # another request started the attempt first
        existing = in_progress_attempt(quiz, user)
        if existing is None:
            raise QuizError(_l("Could not start the attempt, please try again.")) from None
        return existing
    if attempt is None:
        raise QuizError(_l("No attempts left (%(allowed)d allowed)."), allowed=limit)
    answer_rng = rng if quiz.shuffle_answers else None
    db.session.execute(
        insert(Response),
        [  # one executemany, not one INSERT per question
            {
                "attempt_id": attempt.id,
                "slot": slot,
                "question_version_id": versions[qid].id,
                "layout": get_question_type(versions[qid].type).make_layout(
                    versions[qid].payload, answer_rng
                ),
            }
            for slot, qid in enumerate(ids)
        ],
    )
    return attempt


# ---- saving, the timer and submitting ----------------------------------------------------


def group_fields(fields: dict[str, list[str]]) -> dict[int, dict[str, list[str]]]:
    """{"q-3": [...], "q-3-1": [...]} → {3: {"": [...], "1": [...]}}."""
    grouped: dict[int, dict[str, list[str]]] = {}
    for name, values in fields.items():
        if match := FIELD_NAME.match(name):
            values = values if isinstance(values, list) else [values]
            grouped.setdefault(int(match.group(1)), {})[match.group(2) or ""] = [
                str(v) for v in values
            ]
    return grouped


def is_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    return (
        attempt.deadline is not None and (now or clock.now()) > as_utc(attempt.deadline) + grace()
    )


def close_if_overdue(attempt: Attempt) -> bool:
    """Submit an attempt whose time ran out, with what was saved; True if it is closed now."""
    if attempt.state != AttemptState.IN_PROGRESS:
        return True
    if is_overdue(attempt):
        submit_attempt(attempt, None, auto=True)
        return True
    return False


def close_overdue() -> int:
    """Auto-submit every overdue attempt; safe to run twice at once (submitting is a
    conditional UPDATE, so only one runner grades an attempt)."""
    candidates = db.session.scalars(
        select(Attempt).where(
            Attempt.state == AttemptState.IN_PROGRESS,
            Attempt.deadline.is_not(None),
            Attempt.deadline < clock.now() - grace(),
        )
    ).all()
    return sum(1 for attempt in candidates if close_if_overdue(attempt))


def close_overdue_job() -> str:
    """The scheduled job (every minute): `trainer jobs` runs it, GET pages never do."""
    return f"{close_overdue()} overdue attempts submitted"


def save_answers(
    attempt: Attempt,
    fields: dict[str, list[str]],
    slots: list[int],
    flags: dict[int, bool] | None = None,
) -> datetime | None:
    """Store the answers of `slots` (and the trainee's review `flags` by slot) and return when;
    None (nothing saved) if the attempt is closed. Flags ride on the same request as the
    answers, so a change in the browser is one save, never two.

    The conditional UPDATE takes the attempt's row lock first, so a submit running at the
    same moment either sees these answers or this save sees the attempt closed: never a
    saved answer left out of the grade.
    """
    if close_if_overdue(attempt):
        return None
    now = clock.now()
    locked = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.IN_PROGRESS)
        .values(last_saved_at=now)
        .execution_options(synchronize_session=False)
    )
    if locked.rowcount == 0:
        return None
    grouped = group_fields(fields)
    flags = flags or {}
    answered = set(slots) | set(grouped)
    wanted = answered | set(flags)
    # Plain rows and one executemany UPDATE: autosave is the hottest request of an exam.
    rows = db.session.execute(
        select(
            Response.id,
            Response.slot,
            Response.layout,
            Response.answer,
            Response.flagged,
            QuestionVersion.type,
            QuestionVersion.payload,
        )
        .join(QuestionVersion, QuestionVersion.id == Response.question_version_id)
        .where(Response.attempt_id == attempt.id, Response.slot.in_(wanted))
    ).all()
    changes = []
    for row in rows:
        change = {}
        if row.slot in answered:
            value = get_question_type(row.type).parse_answer(
                row.payload, row.layout, grouped.get(row.slot, {})
            )
            if (row.answer or {}).get("value") != value:
                change |= {"answer": {"value": value}, "saved_at": now}
        if row.slot in flags and bool(flags[row.slot]) != row.flagged:
            change["flagged"] = bool(flags[row.slot])
        if change:
            changes.append({"id": row.id, **change})
    # executemany needs the same keys in every row: group the changes by their shape.
    for keys in {tuple(sorted(change)) for change in changes}:
        db.session.execute(update(Response), [c for c in changes if tuple(sorted(c)) == keys])
    if changes:
        changed = {change["id"] for change in changes}
        for obj in list(db.session.identity_map.values()):
            if isinstance(obj, Response) and obj.id in changed:
                db.session.expire(obj, ["answer", "saved_at", "flagged"])
    return now


def submit_attempt(attempt: Attempt, actor, *, auto: bool = False) -> Attempt:
    """Submit once: a second submit (double click, back button, other tab) changes nothing."""
    closed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.IN_PROGRESS)
        .values(state=AttemptState.SUBMITTED, submitted_at=clock.now(), auto_submitted=auto)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    if closed.rowcount == 0:
        return attempt
    for response in load_responses(attempt):
        grade_response(response)
    finalise(attempt, actor or attempt.user)
    if auto:
        record(None, "attempt.auto_submit", attempt, after={"score": attempt.score})
    return attempt


def load_responses(attempt: Attempt) -> list[Response]:
    return db.session.scalars(
        select(Response).where(Response.attempt_id == attempt.id).order_by(Response.slot)
    ).all()


def grade_response(response: Response) -> None:
    version = response.version
    resources = grading_resources(version.type, version.payload)
    grade = grade_answer(version.type, version.payload, response.value, resources)
    if grade.manual:
        response.needs_grading = response.graded_at is None
        return
    response.fraction = grade.fraction
    response.score = float(mark(grade.fraction, version.points))
    response.feedback = grade.feedback


def finalise(attempt: Attempt, actor) -> None:
    """Totals, pass/fail once nothing awaits a trainer, and the trainee path after a pass."""
    responses = load_responses(attempt)
    max_score = sum(exact(r.version.points) for r in responses)
    score = sum(exact(r.score) for r in responses)
    attempt.max_score, attempt.score = float(max_score), float(score)
    attempt.percent = percent(score, max_score)
    if any(r.needs_grading for r in responses):
        attempt.state, attempt.passed = AttemptState.SUBMITTED, None
    else:
        attempt.state, attempt.graded_at = AttemptState.GRADED, clock.now()
        attempt.passed = score_passes(score, max_score, attempt.quiz.pass_percent)
    db.session.flush()
    if attempt.state == AttemptState.GRADED and attempt.quiz.purpose in EXAMS:
        enrolment = current_enrolment(attempt.user)
        if enrolment is not None and enrolment.programme_id == attempt.quiz.programme_id:
            trainee_path.catch_up(enrolment, actor)
            if attempt.passed and attempt.quiz.purpose == Purpose.REFRESHER:
                # Certificates (a higher feature) listen: a passed refresher renews the post
                # certificate, after this pass has committed.
                announce(
                    REFRESHER_PASSED, attempt_id=attempt.id, actor_id=getattr(actor, "id", None)
                )

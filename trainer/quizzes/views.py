"""Trainee routes: quiz list, attempt (autosave, submit) and review."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from trainer.db import as_utc
from trainer.extensions import db
from trainer.permissions import Role, require_role
from trainer.quizzes.availability import attempts_allowed
from trainer.quizzes.forms import EmptyForm
from trainer.quizzes.grading import shown_percent
from trainer.quizzes.models import Attempt, AttemptState, Quiz
from trainer.quizzes.overview import quiz_rows
from trainer.quizzes.paging import clamp_page, page_count, question_states
from trainer.quizzes.presenters import for_attempt, for_review, resolve_links
from trainer.quizzes.review import attempts_used
from trainer.quizzes.review import shows as review_shows
from trainer.quizzes.services import (
    grace,
    is_overdue,
    load_responses,
    save_answers,
    start_attempt,
    submit_attempt,
)
from trainer.unit_of_work import unit_of_work

bp = Blueprint("quizzes", __name__)


def own_attempt(attempt_id: int) -> Attempt:
    """The current user's attempt; 404 for anyone else's (no hint that it exists)."""
    attempt = db.get_or_404(Attempt, attempt_id)
    if attempt.user_id != current_user.id:
        abort(404)
    return attempt


@bp.get("/quizzes")
@require_role(Role.TRAINEE)
def index():
    return render_template("quizzes/index.html", rows=quiz_rows(current_user), form=EmptyForm())


@bp.post("/quizzes/<int:quiz_id>/start")
@require_role(Role.TRAINEE)
def start(quiz_id: int):
    quiz = db.get_or_404(Quiz, quiz_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        with unit_of_work(category="warning") as work:
            # the id before the commit expires the row: no SELECT again just to redirect
            attempt_id = start_attempt(current_user, quiz).id
    except OperationalError:  # the database is overloaded (SQLite busy): nothing was started
        flash(_("The server is busy. Please click Start again."), "warning")
        return redirect(url_for(".index"))
    if work.failed:
        return redirect(url_for(".index"))
    return redirect(url_for(".attempt", attempt_id=attempt_id))


@bp.get("/attempts/<int:attempt_id>")
@require_role(Role.TRAINEE)
def attempt(attempt_id: int):
    attempt = own_attempt(attempt_id)
    if attempt.state != AttemptState.IN_PROGRESS or is_overdue(attempt):
        return redirect(url_for(".review", attempt_id=attempt.id))
    responses = load_responses(attempt)
    per_page = attempt.quiz.questions_per_page
    pages = page_count(len(responses), per_page)
    response = render_template(
        "quizzes/attempt.html",
        attempt=attempt,
        questions=[for_attempt(r) for r in responses],
        states=question_states(responses, per_page),
        pages=pages,
        current_page=clamp_page(request.args.get("page", type=int), pages),
        form=EmptyForm(),
        saved_at=as_utc(attempt.last_saved_at).isoformat() if attempt.last_saved_at else "",
        grace_seconds=int(grace().total_seconds()),
    )
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/attempts/<int:attempt_id>/summary")
@require_role(Role.TRAINEE)
def summary(attempt_id: int):
    """Every question's state with links back, the time left and the submit button."""
    attempt = own_attempt(attempt_id)
    if attempt.state != AttemptState.IN_PROGRESS or is_overdue(attempt):
        return redirect(url_for(".review", attempt_id=attempt.id))
    states = question_states(load_responses(attempt), attempt.quiz.questions_per_page)
    response = render_template(
        "quizzes/summary.html",
        attempt=attempt,
        states=states,
        unanswered=sum(1 for s in states if not s.answered),
        form=EmptyForm(),
    )
    return response, 200, {"Cache-Control": "no-store"}


def posted_answers() -> tuple[dict, list[int], dict[int, bool]]:
    """Answers (field → values), the slots they cover and review flags (slot → flagged)."""
    if request.is_json:
        data = request.get_json(silent=True) or {}
        answers = data.get("answers") if isinstance(data.get("answers"), dict) else {}
        slots = [int(s) for s in data.get("slots", []) if str(s).isdigit()]
        raw_flags = data.get("flags") if isinstance(data.get("flags"), dict) else {}
        flags = {int(k): bool(v) for k, v in raw_flags.items() if str(k).isdigit()}
        return answers, slots, flags
    form = request.form.to_dict(flat=False)
    slots = [int(s) for s in form.pop("slot", []) if s.isdigit()]
    flagged = {int(s) for s in form.pop("flagged", []) if s.isdigit()}
    flags = {slot: slot in flagged for slot in slots} if "flags" in form else {}
    form.pop("flags", None)
    return form, slots, flags


@bp.post("/attempts/<int:attempt_id>/save")
@require_role(Role.TRAINEE)
def save(attempt_id: int):
    attempt = own_attempt(attempt_id)
    answers, slots, flags = posted_answers()
    review_url = url_for(".review", attempt_id=attempt_id)
    try:
        with unit_of_work(json=True) as work:
            saved_at = save_answers(attempt, answers, slots, flags)
    except OperationalError:  # e.g. SQLite busy past its timeout: the browser retries
        return jsonify(saved=False, retry=True), 503
    if work.failed:
        return work.response
    if saved_at is None:
        return jsonify(saved=False, closed=True, redirect=review_url), 409
    return jsonify(saved=True, saved_at=saved_at.isoformat())


@bp.post("/attempts/<int:attempt_id>/submit")
@require_role(Role.TRAINEE)
def submit(attempt_id: int):
    attempt = own_attempt(attempt_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    answers, slots, flags = posted_answers()
    try:
        with unit_of_work() as work:
            if attempt.state == AttemptState.IN_PROGRESS:
                # refused after the deadline: what was saved counts
                save_answers(attempt, answers, slots, flags)
                submit_attempt(attempt, current_user)
    except OperationalError:  # overloaded database: nothing changed, submitting again is safe
        flash(_("The server is busy. Your saved answers are kept; please submit again."), "warning")
        return redirect(url_for(".attempt", attempt_id=attempt_id), code=303)
    if work.failed:
        return redirect(url_for(".attempt", attempt_id=attempt_id), code=303)
    return redirect(url_for(".review", attempt_id=attempt_id), code=303)


@bp.get("/attempts/<int:attempt_id>/review")
@require_role(Role.TRAINEE)
def review(attempt_id: int):
    attempt = own_attempt(attempt_id)
    if attempt.state == AttemptState.IN_PROGRESS:
        if not is_overdue(attempt):
            return redirect(url_for(".attempt", attempt_id=attempt.id))
        # Time is up but the close-overdue job has not run yet: a GET changes nothing, the
        # page offers the (idempotent) submit, which grades what was saved.
        return render_template("quizzes/time_up.html", attempt=attempt, form=EmptyForm())
    used = attempts_used(attempt.quiz, current_user.id)
    shows = review_shows(attempt, used)
    responses = load_responses(attempt) if shows.anything else []
    links = resolve_links(r.version.link for r in responses) if shows.feedback else {}
    return render_template(
        "quizzes/review.html",
        attempt=attempt,
        items=[for_review(r, shows, links) for r in responses],
        shows=shows,
        used=used,
        remaining=_remaining(attempt.quiz, used),
    )


def _remaining(quiz: Quiz, used: int) -> int | None:
    allowed = attempts_allowed(quiz)
    return None if allowed is None else max(0, allowed - used)


bp.add_app_template_filter(shown_percent, "percent")


@bp.app_template_filter("grading_method")
def grading_method_label(method) -> str:
    return {
        "highest": _("Highest"),
        "first": _("First"),
        "last": _("Last"),
        "average": _("Average"),
    }.get(str(method), str(method))


@bp.app_template_filter("attempt_state")
def attempt_state_label(state) -> str:
    return {
        "in_progress": _("In progress"),
        "submitted": _("Waiting for grading"),
        "graded": _("Graded"),
    }.get(str(state), str(state))


@bp.app_template_filter("quiz_purpose")
def quiz_purpose_label(purpose) -> str:
    return {
        "practice": _("Practice"),
        "pre_job": _("Pre-job exam"),
        "final": _("Final exam"),
        "refresher": _("Refresher"),
    }.get(str(purpose), str(purpose))

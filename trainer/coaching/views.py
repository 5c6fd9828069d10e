"""Coaching pages: the list of talks and follow-ups, recording a talk, outcome, acknowledgement."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer import clock
from trainer.coaching.focus import focus_options
from trainer.coaching.forms import AcknowledgeForm, CoachingForm, OutcomeForm
from trainer.coaching.models import CoachingRecord
from trainer.coaching.services import (
    acknowledge,
    follow_ups_due,
    may_manage,
    may_read,
    open_record,
    record_outcome,
    visible_records_query,
)
from trainer.extensions import db
from trainer.internship.oversight import may_coach, visible_trainee
from trainer.permissions import Role, require_role
from trainer.unit_of_work import unit_of_work

bp = Blueprint("coaching", __name__, url_prefix="/coaching")


@bp.get("/")
@require_role(Role.TRAINEE, Role.MENTOR, Role.TRAINER, Role.ADMIN)
def index():
    records = (
        db.session.scalars(
            visible_records_query(current_user)
            .order_by(CoachingRecord.held_on.desc(), CoachingRecord.id.desc())
            .limit(200)
        )
        .unique()
        .all()
    )
    coaches = current_user.has_any_role(Role.MENTOR, Role.TRAINER, Role.ADMIN)
    return render_template(
        "coaching/index.html",
        coaching=records,
        due=follow_ups_due(current_user) if coaches else [],
        today=clock.today(),
    )


@bp.route("/new/<int:trainee_id>", methods=["GET", "POST"])
@require_role(Role.MENTOR, Role.TRAINER)
def new(trainee_id: int):
    trainee = visible_trainee(current_user, trainee_id)
    if not may_coach(current_user, trainee.id):
        abort(404)
    options = focus_options(trainee)
    form = CoachingForm(held_on=clock.today())
    form.focus.choices = [(f"{o['kind']}:{o['key']}", o["label"]) for o in options]
    if request.method == "GET":
        wanted = set(request.args.getlist("focus"))
        form.focus.data = [value for value, _label in form.focus.choices if value in wanted]
    if form.validate_on_submit():
        by_value = {f"{o['kind']}:{o['key']}": o for o in options}
        recorded = _("Coaching talk with %(name)s recorded.", name=trainee.name)
        with unit_of_work(success=recorded, field=form.agreed_actions) as work:
            rec = open_record(
                current_user,
                trainee,
                agreed_actions=form.agreed_actions.data or "",
                held_on=form.held_on.data,
                discussion=form.discussion.data or "",
                focus=[by_value[v] for v in form.focus.data or [] if v in by_value],
                follow_up_on=form.follow_up_on.data,
            )
        if not work.failed:
            return redirect(url_for(".record", record_id=rec.id))
    return render_template("coaching/new.html", form=form, trainee=trainee)


def _readable(record_id: int) -> CoachingRecord:
    rec = db.session.get(CoachingRecord, record_id)
    if rec is None or not may_read(current_user, rec):
        abort(404)
    return rec


@bp.get("/<int:record_id>")
@require_role(Role.TRAINEE, Role.MENTOR, Role.TRAINER, Role.ADMIN)
def record(record_id: int):
    rec = _readable(record_id)
    return render_template(
        "coaching/record.html",
        rec=rec,
        outcome_form=OutcomeForm(),
        acknowledge_form=AcknowledgeForm(),
        may_manage=may_manage(current_user, rec),
        today=clock.today(),
    )


@bp.post("/<int:record_id>/outcome")
@require_role(Role.MENTOR, Role.TRAINER)
def outcome(record_id: int):
    rec = _readable(record_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Outcome recorded.")):
            record_outcome(
                current_user,
                rec,
                form.outcome.data,
                close=form.close.data,
                follow_up_on=form.follow_up_on.data,
            )
    else:
        flash(_("Outcome: describe how the agreed actions went."), "danger")
    return redirect(url_for(".record", record_id=record_id))


@bp.post("/<int:record_id>/acknowledge")
@require_role(Role.TRAINEE)
def acknowledge_record(record_id: int):
    rec = _readable(record_id)
    form = AcknowledgeForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Thank you: the coaching record is acknowledged.")):
            acknowledge(current_user, rec, form.comment.data or "")
    return redirect(url_for(".record", record_id=record_id))

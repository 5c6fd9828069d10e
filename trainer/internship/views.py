"""Mentor and trainee pages of the internship (mobile-first for mentors at the counter)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from trainer import clock
from trainer.extensions import db
from trainer.internship import queries
from trainer.internship.access import log_entry_for, placement_for, sign_off_for
from trainer.internship.forms import (
    AbsenceForm,
    CommentForm,
    CountersignForm,
    LogEntryForm,
    SignOffForm,
    WithdrawForm,
)
from trainer.internship.models import Grade, PlanTask
from trainer.internship.services import (
    active_placement,
    add_log_entry,
    comment_on_log,
    new_idempotency_token,
    placement_history,
    record_absence,
    sign_off_by_token,
    sign_off_task,
    withdraw_sign_off,
)
from trainer.internship.services import (
    countersign as countersign_sign_off,
)
from trainer.permissions import Role, require_role
from trainer.training.services import current_enrolment
from trainer.unit_of_work import unit_of_work

bp = Blueprint("internship", __name__, url_prefix="/internship")


def _flash_form_errors(form) -> None:
    for field_errors in form.errors.values():
        for error in field_errors:
            flash(error, "danger")


# ---- mentor ----------------------------------------------------------------------------


@bp.get("/mentees")
@require_role(Role.MENTOR)
def mentees():
    placements = queries.active_placements(current_user)
    progress = queries.progress_for_many(placements)
    return render_template("internship/mentees.html", placements=placements, progress=progress)


@bp.get("/mentees/<int:enrolment_id>")
@require_role(Role.MENTOR, Role.TRAINER)
def mentee(enrolment_id: int):
    placement = placement_for(current_user, enrolment_id)
    return render_template(
        "internship/mentee.html",
        placement=placement,
        progress=queries.progress_for(placement),
        tasks={t.id: t for t in placement.plan.tasks},
        sign_offs=queries.sign_offs_of(enrolment_id),
        log=queries.log_of(enrolment_id),
        absences=queries.absences_of(enrolment_id),
        history=placement_history(placement.enrolment),
        withdraw_form=WithdrawForm(),
        countersign_form=CountersignForm() if current_user.has_role(Role.TRAINER) else None,
        comment_form=CommentForm(),
        absence_form=AbsenceForm(day=clock.today()),
        is_mentor=placement.mentor_id == current_user.id,
    )


@bp.route("/mentees/<int:enrolment_id>/tasks/<int:task_id>", methods=["GET", "POST"])
@require_role(Role.MENTOR)
def sign_off(enrolment_id: int, task_id: int):
    placement = placement_for(current_user, enrolment_id)
    task = db.session.get(PlanTask, task_id)
    # Only the trainee's own current mentor signs; anyone else learns nothing (404).
    if placement.mentor_id != current_user.id or task is None or task.plan_id != placement.plan_id:
        return render_template("errors/404.html"), 404
    form = SignOffForm()
    form.items.choices = [(i, item["text"]) for i, item in enumerate(task.checklist)]
    if form.validate_on_submit():
        try:
            with unit_of_work(success=_("Signed off: %(task)s.", task=task.title)) as work:
                sign_off_task(
                    current_user,
                    placement,
                    task,
                    observed_on=form.observed_on.data,
                    observed_items=set(form.items.data or []),
                    rating=form.rating.data,
                    grade=Grade(form.grade.data),
                    comment=form.comment.data or "",
                    idempotency_token=form.token.data,
                    duty_manager_present=form.duty_manager_present.data,
                )
        except IntegrityError:  # a double tap raced us (rolled back); the first row stands
            if sign_off_by_token(form.token.data) is None:
                raise
            flash(_("Signed off: %(task)s.", task=task.title), "success")
        else:
            if work.failed:
                return render_template(
                    "internship/sign_off.html",
                    form=form,
                    task=task,
                    placement=placement,
                    today_iso=clock.today().isoformat(),
                ), 422
        return redirect(url_for(".mentee", enrolment_id=enrolment_id))
    if not form.is_submitted():
        form.observed_on.data = clock.today()
        form.token.data = new_idempotency_token()
    return render_template(
        "internship/sign_off.html",
        form=form,
        task=task,
        placement=placement,
        today_iso=clock.today().isoformat(),
    )


@bp.post("/sign-offs/<int:sign_off_id>/withdraw")
@require_role(Role.MENTOR, Role.TRAINER)
def withdraw(sign_off_id: int):
    sign_off = sign_off_for(current_user, sign_off_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Sign-off withdrawn.")):
            withdraw_sign_off(current_user, sign_off, form.reason.data)
    else:
        flash(_("Give a reason for withdrawing the sign-off."), "danger")
    return redirect(url_for(".mentee", enrolment_id=sign_off.enrolment_id))


@bp.post("/mentees/<int:enrolment_id>/absences")
@require_role(Role.MENTOR, Role.TRAINER)
def add_absence(enrolment_id: int):
    placement = placement_for(current_user, enrolment_id)
    form = AbsenceForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Absence recorded.")):
            record_absence(current_user, placement, form.day.data, form.reason.data)
    else:
        _flash_form_errors(form)
    return redirect(url_for(".mentee", enrolment_id=enrolment_id))


@bp.post("/log/<int:entry_id>/comments")
@require_role(Role.MENTOR, Role.TRAINER)
def comment(entry_id: int):
    entry = log_entry_for(current_user, entry_id)
    form = CommentForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Comment added.")):
            comment_on_log(current_user, entry, form.body.data)
    else:
        _flash_form_errors(form)
    return redirect(url_for(".mentee", enrolment_id=entry.enrolment_id, _anchor=f"log-{entry.id}"))


@bp.post("/sign-offs/<int:sign_off_id>/countersign")
@require_role(Role.TRAINER)
def countersign(sign_off_id: int):
    sign_off = sign_off_for(current_user, sign_off_id)
    if CountersignForm().validate_on_submit():
        with unit_of_work(success=_("Countersigned.")):
            countersign_sign_off(current_user, sign_off)
    return redirect(url_for(".mentee", enrolment_id=sign_off.enrolment_id))


# ---- trainee ---------------------------------------------------------------------------


@bp.route("/my", methods=["GET", "POST"])
@require_role(Role.TRAINEE)
def my_internship():
    enrolment = current_enrolment(current_user)
    placement = active_placement(enrolment) if enrolment else None
    if placement is None:
        return render_template("internship/my.html", placement=None)
    form = LogEntryForm()
    form.task_id.choices = [(0, "—")] + [
        (t.id, f"{_('Week %(n)d', n=t.week)} · {t.title}")
        for t in placement.plan.tasks
        if not t.retired
    ]
    if form.validate_on_submit():
        task = db.session.get(PlanTask, form.task_id.data) if form.task_id.data else None
        with unit_of_work(success=_("Saved to your log.")) as work:
            add_log_entry(
                current_user,
                placement,
                day=form.day.data,
                what_happened=form.what_happened.data,
                reflection=form.reflection.data or "",
                task=task,
            )
        if not work.failed:
            return redirect(url_for(".my_internship"))
    elif not form.is_submitted():
        form.day.data = clock.today()
    return render_template(
        "internship/my.html",
        placement=placement,
        progress=queries.progress_for(placement),
        tasks={t.id: t for t in placement.plan.tasks},
        sign_offs=queries.sign_offs_of(enrolment.id),
        log=queries.log_of(enrolment.id),
        form=form,
    )

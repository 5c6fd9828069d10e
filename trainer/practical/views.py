"""Pages of the practical assessment: the observer's form (phone-first, at the counter), the
trainee's result, the trainers' overview."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from trainer import clock
from trainer.errors import DomainError
from trainer.permissions import Role, any_user, require_role
from trainer.practical import queries
from trainer.practical.access import assessment_for, enrolment_to_assess, observer_role
from trainer.practical.forms import AssessmentForm, WithdrawForm, read_results
from trainer.practical.models import ItemResult
from trainer.practical.services import (
    assessment_by_token,
    check_can_be_assessed,
    new_idempotency_token,
    record_assessment,
    withdraw_assessment,
)
from trainer.training.services import current_enrolment
from trainer.unit_of_work import unit_of_work

bp = Blueprint("practical", __name__, url_prefix="/practical")


@bp.get("/")
@require_role(Role.MENTOR, Role.TRAINER)
def overview():
    trainer = current_user.has_role(Role.TRAINER)
    return render_template(
        "practical/overview.html",
        candidates=queries.candidates(None if trainer else current_user, include_done=True),
        recent=queries.recent_assessments() if trainer else [],
    )


@bp.route("/trainees/<int:enrolment_id>/assess", methods=["GET", "POST"])
@require_role(Role.MENTOR, Role.TRAINER)
def assess(enrolment_id: int):
    enrolment = enrolment_to_assess(current_user, enrolment_id)
    # A second tap after the first one committed: show what the first recorded.
    token = request.form.get("token") if request.method == "POST" else None
    recorded = assessment_by_token(token) if token else None
    if recorded is not None and recorded.enrolment_id == enrolment.id:
        return redirect(url_for(".detail", assessment_id=recorded.id))
    try:  # a read-only check (GET too), so no unit of work
        checklist = check_can_be_assessed(enrolment)
    except DomainError as exc:
        flash(exc.message, "warning")
        return redirect(url_for(".trainee", enrolment_id=enrolment.id))
    form = AssessmentForm()
    results, notes = read_results(request.form, checklist) if form.is_submitted() else ({}, {})
    if form.validate_on_submit():
        try:
            with unit_of_work() as work:
                assessment = record_assessment(
                    current_user,
                    enrolment,
                    observed_on=form.observed_on.data,
                    results=results,
                    notes=notes,
                    comment=form.comment.data or "",
                    idempotency_token=form.token.data,
                )
        except IntegrityError:  # a double tap raced us (rolled back); the first row stands
            assessment = assessment_by_token(form.token.data)
            if assessment is None:
                raise
        else:
            if work.failed:
                return _form(enrolment, checklist, form, results, notes), 422
        flash(_("Practical assessment recorded."), "success")
        return redirect(url_for(".detail", assessment_id=assessment.id))
    if not form.is_submitted():
        form.observed_on.data = clock.today()
        form.token.data = new_idempotency_token()
    return _form(enrolment, checklist, form, results, notes)


def _form(enrolment, checklist, form, results, notes):
    return render_template(
        "practical/assess.html",
        enrolment=enrolment,
        checklist=checklist,
        form=form,
        results={key: value.value for key, value in results.items()},
        notes=notes,
        choices=list(ItemResult),
        role=observer_role(current_user, enrolment),
        today_iso=clock.today().isoformat(),
    )


@bp.get("/trainees/<int:enrolment_id>")
@require_role(Role.MENTOR, Role.TRAINER)
def trainee(enrolment_id: int):
    enrolment = enrolment_to_assess(current_user, enrolment_id)
    return render_template(
        "practical/trainee.html",
        enrolment=enrolment,
        assessments=queries.assessments_of(enrolment.id),
        checklist=queries.checklist_for(enrolment),
        passed=queries.passed_assessment(enrolment),
    )


@bp.get("/assessments/<int:assessment_id>")
@any_user
def detail(assessment_id: int):
    assessment = assessment_for(current_user, assessment_id)
    may_withdraw = not assessment.withdrawn and (
        assessment.observer_id == current_user.id or current_user.has_role(Role.TRAINER)
    )
    return render_template(
        "practical/detail.html",
        assessment=assessment,
        withdraw_form=WithdrawForm() if may_withdraw else None,
        labels={r.value: r.label for r in ItemResult},
    )


@bp.post("/assessments/<int:assessment_id>/withdraw")
@require_role(Role.MENTOR, Role.TRAINER)
def withdraw(assessment_id: int):
    assessment = assessment_for(current_user, assessment_id)
    if assessment.observer_id != current_user.id and not current_user.has_role(Role.TRAINER):
        return render_template("errors/404.html"), 404
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for withdrawing the assessment."), "danger")
    else:
        with unit_of_work(success=_("Assessment withdrawn.")):
            withdraw_assessment(current_user, assessment, form.reason.data)
    return redirect(url_for(".detail", assessment_id=assessment.id))


@bp.get("/my")
@require_role(Role.TRAINEE)
def mine():
    enrolment = current_enrolment(current_user)
    return render_template(
        "practical/mine.html",
        enrolment=enrolment,
        assessments=queries.assessments_of(enrolment.id) if enrolment else [],
        checklist=queries.checklist_for(enrolment) if enrolment else None,
    )

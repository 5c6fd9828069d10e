"""Trainer pages for cohorts and enrolments, and the trainee's own path."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.accounts.models import User, UserRole
from trainer.extensions import db
from trainer.permissions import Role, require_role
from trainer.training.forms import CohortForm, EnrolForm, OverrideForm
from trainer.training.models import Cohort, Enrolment, Programme
from trainer.training.panels import cohort_stage_counts
from trainer.training.path import trainee_path
from trainer.training.services import (
    cohort_enrolments_query,
    cohorts_query,
    create_cohort,
    current_enrolment,
    enrol,
    enrolable_trainees,
)
from trainer.training.stages import PATH, Stage
from trainer.unit_of_work import unit_of_work

bp = Blueprint("training", __name__)

PICKER_SIZE = 20  # the enrol picker shows this many matches; more means "type more"
COHORTS_PER_PAGE = 50
ENROLMENTS_PER_PAGE = 50


def users_with_role(role: Role) -> list[User]:
    query = select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True))
    return db.session.scalars(query.order_by(User.employee_no)).unique().all()


@bp.get("/my/path")
@require_role(Role.TRAINEE)
def my_path():
    enrolment = current_enrolment(current_user)
    unmet = trainee_path.unmet(enrolment) if enrolment else []
    return render_template("training/my_path.html", enrolment=enrolment, path=PATH, unmet=unmet)


@bp.get("/cohorts")
@require_role(Role.TRAINER)
def cohorts():
    q = request.args.get("q", "").strip()
    page = db.paginate(cohorts_query(current_user, q), per_page=COHORTS_PER_PAGE, error_out=False)
    return render_template(
        "training/cohorts.html",
        page=page,
        cohorts=page.items,
        counts=cohort_stage_counts([c.id for c in page.items]),
        path=PATH,
        q=q,
    )


@bp.route("/cohorts/new", methods=["GET", "POST"])
@require_role(Role.TRAINER)
def new_cohort():
    form = CohortForm(trainer_id=current_user.id)
    form.programme_id.choices = [
        (p.id, p.name) for p in db.session.scalars(select(Programme).order_by(Programme.name))
    ]
    form.trainer_id.choices = [(u.id, u.name) for u in users_with_role(Role.TRAINER)]
    if form.validate_on_submit():
        with unit_of_work(field=form.trainer_id) as work:
            cohort = create_cohort(
                current_user,
                name=form.name.data,
                programme=db.get_or_404(Programme, form.programme_id.data),
                trainer=db.get_or_404(User, form.trainer_id.data),
                start_date=form.start_date.data,
            )
        if not work.failed:
            return redirect(url_for(".cohort", cohort_id=cohort.id))
    return render_template("training/cohort_form.html", form=form)


@bp.get("/cohorts/<int:cohort_id>")
@require_role(Role.TRAINER)
def cohort(cohort_id: int):
    cohort = db.get_or_404(Cohort, cohort_id)
    # Two searches on one page: `find` pages the enrolled trainees, `q` feeds the enrol picker.
    find = request.args.get("find", "").strip()
    enrolments = db.paginate(
        cohort_enrolments_query(cohort, find), per_page=ENROLMENTS_PER_PAGE, error_out=False
    )
    q = request.args.get("q", "").strip()
    candidates = enrolable_trainees(cohort, q, limit=PICKER_SIZE + 1)
    enrol_form = EnrolForm()
    enrol_form.trainee_ids.choices = [
        (u.id, f"{u.name} ({u.employee_no})") for u in candidates[:PICKER_SIZE]
    ]
    return render_template(
        "training/cohort.html",
        cohort=cohort,
        enrolments=enrolments,
        find=find,
        enrol_form=enrol_form,
        q=q,
        more=len(candidates) > PICKER_SIZE,
        override_form=OverrideForm(),
        path=PATH,
    )


@bp.post("/cohorts/<int:cohort_id>/enrol")
@require_role(Role.TRAINER)
def enrol_trainees(cohort_id: int):
    cohort = db.get_or_404(Cohort, cohort_id)
    form = EnrolForm()
    submitted = [int(v) for v in request.form.getlist("trainee_ids") if v.isdigit()]
    form.trainee_ids.choices = [
        (u.id, u.name) for u in enrolable_trainees(cohort, ids=submitted[:PICKER_SIZE])
    ]
    if form.validate_on_submit():
        enrolled = _("%(count)d trainees enrolled.", count=len(form.trainee_ids.data))
        with unit_of_work(success=enrolled):
            for trainee_id in form.trainee_ids.data:
                enrol(current_user, db.get_or_404(User, trainee_id), cohort)
    return redirect(url_for(".cohort", cohort_id=cohort.id))


@bp.post("/enrolments/<int:enrolment_id>/advance")
@require_role(Role.TRAINER)
def advance(enrolment_id: int):
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    form = OverrideForm()
    form.to_stage.choices = [(s.value, s.label) for s in PATH]
    if form.validate_on_submit():
        with unit_of_work(success=_("%(name)s moved on.", name=enrolment.user.name)):
            trainee_path.advance(
                enrolment,
                Stage(form.to_stage.data),
                current_user,
                override_reason=form.reason.data or "",
            )
    return redirect(url_for(".cohort", cohort_id=enrolment.cohort_id))

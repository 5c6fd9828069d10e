"""Trainer pages: placements, the internship overview, overdue tasks and plan editing."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer import clock
from trainer.accounts.models import Hall, User, UserRole
from trainer.extensions import db
from trainer.internship import queries
from trainer.internship.forms import PlacementForm, PlanSourceForm
from trainer.internship.models import InternshipPlan, Placement
from trainer.internship.plans import save_plan_text
from trainer.internship.services import active_placement, place_trainee
from trainer.internship.views import bp
from trainer.permissions import Role, require_role
from trainer.training.models import Enrolment
from trainer.training.stages import Stage
from trainer.unit_of_work import unit_of_work

PER_PAGE = 50
PLACEABLE = (Stage.PRE_JOB_TRAINING, Stage.PRE_JOB_PASSED, Stage.INTERNING)


def _people(*roles: Role) -> list[User]:
    query = select(User).join(UserRole).where(UserRole.role.in_(roles), User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.employee_no)).unique())


@bp.get("/")
@require_role(Role.TRAINER)
def overview():
    q = request.args.get("q", "").strip()
    page = db.paginate(queries.in_progress_placements(q=q), per_page=PER_PAGE, error_out=False)
    placed = select(Placement.id).where(Placement.enrolment_id == Enrolment.id, Placement.active)
    waiting = db.paginate(
        select(Enrolment)
        .where(Enrolment.stage.in_(PLACEABLE), ~placed.exists())
        .order_by(Enrolment.id),
        page=request.args.get("waiting_page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "internship/overview.html",
        page=page,
        q=q,
        progress=queries.progress_for_many(page.items),
        waiting=waiting,
    )


@bp.route("/enrolments/<int:enrolment_id>/placement", methods=["GET", "POST"])
@require_role(Role.TRAINER)
def place(enrolment_id: int):
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    current = active_placement(enrolment)
    form = PlacementForm(obj=current) if current else PlacementForm(start_date=clock.today())
    form.hall_id.choices = [
        (h.id, f"{h.name} ({h.code})") for h in db.session.scalars(select(Hall).order_by(Hall.name))
    ]
    form.mentor_id.choices = [
        (u.id, f"{u.name} ({u.employee_no})")
        for u in _people(Role.MENTOR)
        if u.id != enrolment.user_id
    ]
    form.duty_manager_id.choices = [(0, "—")] + [
        (u.id, f"{u.name} ({u.employee_no})") for u in _people(Role.MENTOR, Role.TRAINER)
    ]
    plans = list(db.session.scalars(select(InternshipPlan).order_by(InternshipPlan.title)))
    form.plan_id.choices = [(p.id, p.title) for p in plans]
    if not form.is_submitted() and current is None and enrolment.user.hall_id:
        form.hall_id.data = enrolment.user.hall_id
    if form.validate_on_submit():
        with unit_of_work(
            success=_("%(name)s placed.", name=enrolment.user.name), field=form.mentor_id
        ) as work:
            place_trainee(
                current_user,
                enrolment,
                hall=db.get_or_404(Hall, form.hall_id.data),
                mentor=db.get_or_404(User, form.mentor_id.data),
                plan=db.get_or_404(InternshipPlan, form.plan_id.data),
                start_date=form.start_date.data,
                duty_manager=db.session.get(User, form.duty_manager_id.data)
                if form.duty_manager_id.data
                else None,
                reason=form.reason.data or "",
            )
        if not work.failed:
            return redirect(url_for(".overview"))
    history = list(
        db.session.scalars(
            select(Placement).where(Placement.enrolment_id == enrolment.id).order_by(Placement.id)
        )
    )
    return render_template(
        "internship/place.html",
        form=form,
        enrolment=enrolment,
        current=current,
        history=history,
        has_plans=bool(plans),
    )


@bp.get("/overdue")
@require_role(Role.MENTOR, Role.TRAINER)
def overdue():
    mentor = None if current_user.has_role(Role.TRAINER) else current_user
    page = queries.overdue_page(mentor, PER_PAGE)
    progress = queries.progress_for_many(page.items)
    grouped: dict[User, list[queries.OverdueTask]] = {}
    for placement in page.items:  # already in mentor order
        for task in progress[placement.id].overdue:
            grouped.setdefault(placement.mentor, []).append(queries.OverdueTask(placement, task))
    return render_template("internship/overdue.html", grouped=grouped, page=page)


@bp.get("/plans")
@require_role(Role.TRAINER)
def plans():
    rows = list(db.session.scalars(select(InternshipPlan).order_by(InternshipPlan.title)))
    return render_template("internship/plans.html", plans=rows)


@bp.route("/plans/new", methods=["GET", "POST"])
@require_role(Role.TRAINER)
def new_plan():
    return _plan_form(None)


@bp.route("/plans/<int:plan_id>", methods=["GET", "POST"])
@require_role(Role.TRAINER)
def edit_plan(plan_id: int):
    return _plan_form(db.get_or_404(InternshipPlan, plan_id))


def _plan_form(plan: InternshipPlan | None):
    form = PlanSourceForm(source=plan.source_text if plan else "")
    problems = []
    if form.validate_on_submit():
        source = (plan.source_name if plan else None) or "plan.yaml"
        text = form.source.data.replace("\r\n", "\n")
        with unit_of_work(success=_("Plan saved."), show=False) as work:  # problems listed
            saved = save_plan_text(current_user, text, source)
        if not work.failed:
            return redirect(url_for(".edit_plan", plan_id=saved.id))
        problems = getattr(work.error, "problems", [work.error])
    status = 422 if problems else 200
    return render_template(
        "internship/plan_edit.html", form=form, plan=plan, problems=problems
    ), status

"""Admin pages: users (create, edit, CSV import) and halls."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.accounts.forms import HallForm, UserForm, UserImportForm
from trainer.accounts.models import Hall, User
from trainer.accounts.services import (
    change_password,
    create_hall,
    create_user,
    get_or_create_region,
    import_users_csv,
    update_user,
)
from trainer.extensions import db
from trainer.permissions import Role, require_role
from trainer.unit_of_work import unit_of_work

bp = Blueprint("accounts", __name__, url_prefix="/admin")


def hall_choices() -> list[tuple[int, str]]:
    halls = db.session.scalars(select(Hall).order_by(Hall.name))
    return [(0, "—")] + [(h.id, f"{h.name} ({h.code})") for h in halls]


@bp.get("/users")
@require_role(Role.ADMIN)
def users():
    rows = db.session.scalars(select(User).order_by(User.employee_no)).unique().all()
    return render_template("accounts/users.html", users=rows, import_form=UserImportForm())


@bp.route("/users/new", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def new_user():
    form = UserForm()
    form.hall_id.choices = hall_choices()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("A new user needs a password."))
        else:
            with unit_of_work(success=_("User created."), field=form.employee_no) as work:
                create_user(
                    current_user,
                    employee_no=form.employee_no.data,
                    name=form.name.data,
                    roles={Role(r) for r in form.roles.data},
                    password=form.password.data,
                    hall=db.session.get(Hall, form.hall_id.data) if form.hall_id.data else None,
                    email=form.email.data,
                    phone=form.phone.data,
                )
            if not work.failed:
                return redirect(url_for(".users"))
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, roles=sorted(user.roles), hall_id=user.hall_id or 0)
    form.hall_id.choices = hall_choices()
    del form.employee_no
    if form.validate_on_submit():
        with unit_of_work(success=_("User saved."), field=form.roles) as work:
            update_user(
                current_user,
                user,
                name=form.name.data,
                roles={Role(r) for r in form.roles.data},
                hall=db.session.get(Hall, form.hall_id.data) if form.hall_id.data else None,
                email=form.email.data,
                phone=form.phone.data,
                active=form.active.data,
            )
            if form.password.data:
                change_password(current_user, user, form.password.data)
        if not work.failed:
            return redirect(url_for(".users"))
    return render_template("accounts/user_form.html", form=form, user=user)


@bp.post("/users/import")
@require_role(Role.ADMIN)
def import_users():
    form = UserImportForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(error, "danger")
        return redirect(url_for(".users"))
    try:
        text = form.file.data.read().decode("utf-8")
    except UnicodeDecodeError:
        flash(_("The file is not UTF-8 text."), "danger")
        return redirect(url_for(".users"))
    with unit_of_work(show=False) as work:  # the refusal is a page of its own, not a flash
        created = import_users_csv(current_user, text)
    if work.failed:
        errors = getattr(work.error, "errors", [work.error])
        return render_template("accounts/import_errors.html", errors=errors), 422
    flash(_("%(count)d users imported.", count=len(created)), "success")
    return redirect(url_for(".users"))


@bp.route("/halls", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def halls():
    form = HallForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Hall created."), field=form.code) as work:
            create_hall(
                current_user,
                code=form.code.data,
                name=form.name.data,
                kind=form.kind.data,
                region=get_or_create_region(form.region.data) if form.region.data else None,
                address=form.address.data,
            )
        if not work.failed:
            return redirect(url_for(".halls"))
    rows = db.session.scalars(select(Hall).order_by(Hall.code)).unique().all()
    return render_template("accounts/halls.html", halls=rows, form=form)

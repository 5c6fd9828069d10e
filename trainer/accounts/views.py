"""Admin pages: users (list, create, edit, import, deactivate, reset passwords) and halls."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.accounts.forms import ConfirmForm, HallForm, UserForm, UserImportForm
from trainer.accounts.models import Hall, User
from trainer.accounts.queries import UserFilters, user_facets, users_query
from trainer.accounts.services import (
    CSV_COLUMNS,
    change_password,
    create_hall,
    create_user,
    deactivate_users,
    get_or_create_region,
    import_users_file,
    reset_password,
    update_user,
)
from trainer.accounts.user_files import TEMPLATE_EXAMPLE
from trainer.downloads import content_disposition
from trainer.extensions import db
from trainer.permissions import ROLE_LABELS, Role, require_role
from trainer.spreadsheets import csv_bytes, xlsx_bytes
from trainer.unit_of_work import unit_of_work

USERS_PER_PAGE = 50
# A page that shows a temporary password must not stay in a cache or the history.
NO_STORE = {"Cache-Control": "no-store"}

bp = Blueprint("accounts", __name__, url_prefix="/admin")


def hall_choices() -> list[tuple[int, str]]:
    halls = db.session.scalars(select(Hall).order_by(Hall.name))
    return [(0, "—")] + [(h.id, f"{h.name} ({h.code})") for h in halls]


@bp.get("/users")
@require_role(Role.ADMIN)
def users():
    filters = UserFilters.from_args(request.args)
    page = db.paginate(users_query(filters), per_page=USERS_PER_PAGE, error_out=False)
    halls = db.session.scalars(select(Hall).order_by(Hall.name)).all()
    return render_template(
        "accounts/users.html",
        page=page,
        filters=filters,
        halls=halls,
        roles=[(r.value, ROLE_LABELS[r]) for r in Role],
        facets=user_facets(),
        import_form=UserImportForm(),
        bulk_form=ConfirmForm(),
    )


@bp.post("/users/deactivate")
@require_role(Role.ADMIN)
def deactivate():
    form = ConfirmForm()
    ids = [int(v) for v in request.form.getlist("user_ids") if v.isdigit()]
    if form.validate_on_submit():
        if not ids:
            flash(_("Choose the users to deactivate."), "warning")
        else:
            with unit_of_work() as work:
                done = deactivate_users(current_user, ids)
            if not work.failed:
                flash(_("%(count)d users deactivated.", count=len(done)), "success")
    back = request.form.get("back", "")
    # back to the same filtered page; only ever a path of the list itself
    same_list = back.startswith(url_for(".users")) and "//" not in back and "\\" not in back
    return redirect(back if same_list else url_for(".users"))


@bp.get("/users/template.<fmt>")
@require_role(Role.ADMIN)
def import_template(fmt: str):
    """An empty users file with the columns and two example rows, to fill in Excel."""
    header = list(CSV_COLUMNS)
    if fmt == "csv":
        body, mimetype = csv_bytes(header, TEMPLATE_EXAMPLE), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = xlsx_bytes("users", header, TEMPLATE_EXAMPLE)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    disposition = content_disposition(_("users-template") + "." + fmt)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})


@bp.post("/users/<int:user_id>/reset-password")
@require_role(Role.ADMIN)
def reset_user_password(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".edit_user", user_id=user.id))
    with unit_of_work() as work:
        temporary = reset_password(current_user, user)
    if work.failed:
        return redirect(url_for(".edit_user", user_id=user.id))
    page = render_template("accounts/temporary_passwords.html", users=[(user, temporary)])
    return page, 200, NO_STORE


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
                    must_change_password=True,
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
    upload = form.file.data
    with unit_of_work(show=False) as work:  # the refusal is a page of its own, not a flash
        created = import_users_file(current_user, upload.read(), upload.filename or "users.csv")
    if work.failed:
        errors = getattr(work.error, "errors", [work.error])
        return render_template("accounts/import_errors.html", errors=errors), 422
    flash(_("%(count)d users imported.", count=len(created)), "success")
    page = render_template(
        "accounts/temporary_passwords.html",
        users=[(user, user.temporary_password) for user in created],
    )
    return page, 200, NO_STORE


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

"""Administrators' personal-data pages: find a person, export them, anonymise a leaver, and
the retention periods with a purge button. Every change is a POST (CSRF) and audited."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer import clock
from trainer.accounts.models import User
from trainer.downloads import content_disposition
from trainer.extensions import db
from trainer.permissions import Role, require_role
from trainer.privacy import export, retention, services
from trainer.privacy.forms import ActionForm, AnonymiseForm, FindPersonForm
from trainer.unit_of_work import unit_of_work

bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")


@bp.route("/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def index():
    form = FindPersonForm()
    if form.validate_on_submit():
        with unit_of_work(field=form.employee_no) as work:
            user = services.find_person(form.employee_no.data)
        if not work.failed:
            return redirect(url_for(".person", user_id=user.id))
    counts = retention.run_purge(dry_run=True)
    kinds = [(kind, kind.months(), counts[kind.key]) for kind in retention.KINDS]
    return render_template("privacy/index.html", form=form, kinds=kinds, purge_form=ActionForm())


@bp.post("/purge")
@require_role(Role.ADMIN)
def purge():
    if ActionForm().validate_on_submit():
        with unit_of_work() as work:
            counts = services.purge(current_user)
        if not work.failed:
            removed = sum(n or 0 for n in counts.values())
            flash(_("%(count)d records removed.", count=removed), "success")
    return redirect(url_for(".index"))


@bp.get("/users/<int:user_id>")
@require_role(Role.ADMIN)
def person(user_id: int):
    return person_page(db.get_or_404(User, user_id), AnonymiseForm(formdata=None))


def person_page(user: User, anonymise_form: AnonymiseForm) -> str:
    """What is held about `user`, with the export button and the anonymisation form."""
    return render_template(
        "privacy/person.html",
        user=user,
        counts=export.collect(user.id).counts(),
        export_form=ActionForm(),
        anonymise_form=anonymise_form,
    )


@bp.post("/users/<int:user_id>/export")
@require_role(Role.ADMIN)
def export_zip(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".person", user_id=user.id))
    with unit_of_work() as work:
        data = services.export_person(current_user, user)
    if work.failed:
        return redirect(url_for(".person", user_id=user.id))
    response = current_app.response_class(data, mimetype="application/zip")
    name = f"personal-data-{user.employee_no}-{clock.today().isoformat()}.zip"
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/users/<int:user_id>/anonymise")
@require_role(Role.ADMIN)
def anonymise(user_id: int):
    user = db.get_or_404(User, user_id)
    form = AnonymiseForm()
    if form.validate_on_submit():
        success = _("The account is anonymised.")
        with unit_of_work(success=success, field=form.confirmation) as work:
            services.anonymise_person(current_user, user, form.confirmation.data)
        if not work.failed:
            return redirect(url_for(".person", user_id=user.id))
    return person_page(user, form), 422

"""The trainers' library status page: what differs between the database and the files, with
a side-by-side diff and a resolution per item."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.library.kinds import library_kind
from trainer.library_status.forms import ResolveForm
from trainer.library_status.services import (
    DIFFERENCE_LABELS,
    Resolution,
    library_status,
    resolve,
)
from trainer.permissions import Role, require_role

bp = Blueprint("library_status", __name__, url_prefix="/library")


@bp.route("/status")
@require_role(Role.TRAINER, Role.ADMIN)
def status():
    return render_template(
        "library_status/status.html",
        statuses=library_status(),
        labels=DIFFERENCE_LABELS,
        form=ResolveForm(),
    )


@bp.route("/status/merge")
@require_role(Role.TRAINER, Role.ADMIN)
def merge():
    """The merge-by-hand editor: the database's text to edit, the file's beside it."""
    kind_name, key = request.args.get("kind", ""), request.args.get("key", "")
    entry = _entry(kind_name, key)
    form = ResolveForm(kind=kind_name, key=key, resolution=Resolution.MERGE.value)
    form.text.data = entry.db.text if entry.db else entry.file.text
    return render_template("library_status/merge.html", entry=entry, form=form, problems=[])


@bp.route("/status/resolve", methods=["POST"])
@require_role(Role.TRAINER, Role.ADMIN)
def resolve_item():
    form = ResolveForm()
    if not form.validate_on_submit():
        abort(400)
    resolution = Resolution(form.resolution.data)
    try:
        resolve(current_user, form.kind.data, form.key.data, resolution, form.text.data or "")
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    except ValueError as exc:
        db.session.rollback()
        if resolution is not Resolution.MERGE:
            flash(_("The file does not pass its checks: %(problems)s", problems=exc), "danger")
            return redirect(url_for(".status"))
        entry = _entry(form.kind.data, form.key.data)
        problems = str(exc).splitlines()
        return render_template(
            "library_status/merge.html", entry=entry, form=form, problems=problems
        ), 422
    else:
        db.session.commit()
        flash(_("%(key)s resolved.", key=form.key.data), "success")
    return redirect(url_for(".status"))


def _entry(kind_name: str, key: str):
    """The status entry of one item; 404 when it does not differ (or does not exist)."""
    if library_kind(kind_name) is None:
        abort(404)
    for status in library_status(only=kind_name):
        for entry in status.entries:
            if entry.kind == kind_name and entry.key == key:
                return entry
    abort(404)

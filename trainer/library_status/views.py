"""The trainers' library status page: what differs between the database and the files, with
a side-by-side diff and a resolution per item."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.library.kinds import library_kind
from trainer.library_status.forms import ResolveForm
from trainer.library_status.services import (
    DIFFERENCE_LABELS,
    Resolution,
    library_status,
    resolve,
)
from trainer.permissions import Role, require_role
from trainer.source_files import SourceFileError
from trainer.unit_of_work import unit_of_work

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
    done = _("%(key)s resolved.", key=form.key.data)
    try:
        with unit_of_work(success=done, show=False) as work:
            resolve(current_user, form.kind.data, form.key.data, resolution, form.text.data or "")
    except ValueError as exc:  # ItemInvalid: rolled back; the text does not pass its checks
        return _refused(form, resolution, str(exc))
    if isinstance(work.error, SourceFileError):
        return _refused(form, resolution, work.message)
    if work.failed:
        flash(work.message, "danger")
    return redirect(url_for(".status"))


def _refused(form: ResolveForm, resolution: Resolution, problems: str):
    """A file or a hand-merged text that fails its checks: named, and the merge shown again."""
    if resolution is not Resolution.MERGE:
        flash(_("The file does not pass its checks: %(problems)s", problems=problems), "danger")
        return redirect(url_for(".status"))
    entry = _entry(form.kind.data, form.key.data)
    return render_template(
        "library_status/merge.html", entry=entry, form=form, problems=problems.splitlines()
    ), 422


def _entry(kind_name: str, key: str):
    """The status entry of one item; 404 when it does not differ (or does not exist)."""
    if library_kind(kind_name) is None:
        abort(404)
    for status in library_status(only=kind_name):
        for entry in status.entries:
            if entry.kind == kind_name and entry.key == key:
                return entry
    abort(404)

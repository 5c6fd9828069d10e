"""Trainer routes of the bank browser: list with filters, bulk changes, duplicate, categories.
Thin: the rules live in quizzes.bank_browser."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import Response as FlaskResponse
from flask_babel import gettext as _
from flask_login import current_user

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.permissions import Role, require_role
from trainer.quizzes.bank_browser import (
    Filters,
    bulk_change,
    category_tree,
    duplicate_question,
    export_selection,
    facets,
    rename_category,
    search,
)
from trainer.quizzes.bank_files import FILE_SUFFIX, FORMAT_LABELS, FORMATS, MIME_TYPES
from trainer.quizzes.forms import EmptyForm
from trainer.quizzes.models import Question
from trainer.quizzes.question_types import question_types
from trainer.unit_of_work import unit_of_work

bp = Blueprint("question_bank", __name__, url_prefix="/manage")
STAFF = (Role.TRAINER, Role.ADMIN)


@bp.get("/questions")
@require_role(*STAFF)
def browse():
    filters = Filters.from_args(request.args)
    page = search(filters, request.args.get("page", 1, type=int))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "quizzes/browse.html",
        filters=filters,
        page=page,
        args=args,
        facets=facets(),
        types=[(name, kind.label) for name, kind in question_types().items()],
        formats=FORMAT_LABELS,
        form=EmptyForm(),
    )


@bp.post("/questions/bulk")
@require_role(*STAFF)
def bulk():
    back = request.form.get("next") or url_for(".browse")
    if not back.startswith("/"):
        back = url_for(".browse")
    if not EmptyForm().validate_on_submit():
        abort(400)
    ids = request.form.getlist("ids")
    action = request.form.get("action", "")
    if action.startswith("export:"):
        fmt = action.partition(":")[2]
        if fmt not in FORMATS:
            abort(404)
        try:
            text = export_selection(ids, fmt)
        except DomainError as exc:  # nothing selected, or a format that cannot carry one
            flash(exc.message, "danger")
            return redirect(back)
        return FlaskResponse(
            text,
            mimetype=f"{MIME_TYPES.get(fmt, 'text/plain')}; charset=utf-8",
            headers={"Content-Disposition": f"attachment; filename=selection.{FILE_SUFFIX[fmt]}"},
        )
    with unit_of_work() as work:
        changed = bulk_change(current_user, ids, action, request.form.get("value", ""))
    if not work.failed:
        flash(_("%(n)d questions changed.", n=changed), "success")
    return redirect(back)


@bp.post("/questions/<int:question_id>/duplicate")
@require_role(*STAFF)
def duplicate(question_id: int):
    question = db.get_or_404(Question, question_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        copy = duplicate_question(current_user, question)
    if work.failed:
        return redirect(url_for("question_admin.edit", question_id=question.id))
    flash(_("Copied as %(key)s.", key=copy.key), "success")
    return redirect(url_for("question_admin.edit", question_id=copy.id))


@bp.get("/categories")
@require_role(*STAFF)
def categories():
    return render_template("quizzes/categories.html", tree=category_tree(), form=EmptyForm())


@bp.post("/categories/rename")
@require_role(*STAFF)
def rename():
    if not EmptyForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        moved = rename_category(
            current_user, request.form.get("old", ""), request.form.get("new", "")
        )
    if not work.failed:
        flash(_("%(n)d questions moved.", n=moved), "success")
    return redirect(url_for(".categories"))

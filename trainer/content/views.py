"""Modules for trainees, procedure step cards and cue cards, and the trainers' editing pages."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.content.editing import (
    build_phrase,
    build_step,
    format_reminders,
    preview_rule,
    update_phrase,
    update_procedure,
    update_step,
)
from trainer.content.forms import (
    PhraseForm,
    ProcedureForm,
    ReadingTimeForm,
    StepForm,
    StudiedForm,
)
from trainer.content.models import ContentModule, ContentRevision, ModulePage, Procedure
from trainer.content.pages import procedures_in_teaching_order, render_body
from trainer.content.progress import (
    module_progress,
    programme_modules,
    progress_for,
    studied_page_ids,
)
from trainer.content.reading import (
    ReadTooFast,
    record_page_opened,
    required_seconds,
    set_min_reading_seconds,
    study_page,
)
from trainer.extensions import db
from trainer.permissions import Role, any_user, require_role
from trainer.phrases.engine import PhraseMatcher
from trainer.phrases.services import get_phrase
from trainer.training.services import current_enrolment
from trainer.unit_of_work import unit_of_work

bp = Blueprint("content", __name__)


def get_procedure(key: str) -> Procedure:
    """The procedure with its steps; 404 when unknown."""
    procedure = db.session.scalar(
        select(Procedure).where(Procedure.key == key).options(selectinload(Procedure.steps))
    )
    if procedure is None:
        abort(404)
    return procedure


def get_module(key: str) -> ContentModule:
    module = db.session.scalar(
        select(ContentModule)
        .where(ContentModule.key == key)
        .options(selectinload(ContentModule.pages))
    )
    if module is None:
        abort(404)
    return module


def _viewer_programme():
    enrolment = current_enrolment(current_user) if current_user.has_role(Role.TRAINEE) else None
    return enrolment.programme if enrolment else None


# ---- modules ----------------------------------------------------------------------------


@bp.get("/modules")
@any_user
def modules():
    rows = progress_for(current_user, programme_modules(_viewer_programme()))
    return render_template("content/modules.html", rows=rows)


@bp.get("/modules/<key>")
@any_user
def module(key: str):
    module = get_module(key)
    progress = module_progress(current_user, module)
    # Prerequisites bind trainees; trainers and mentors read any module.
    locked = progress.locked and current_user.has_role(Role.TRAINEE)
    page = None
    if module.pages and not locked:
        wanted = request.args.get("page")
        page = next((p for p in module.pages if p.key == wanted), module.pages[0])
    return render_template(
        "content/module.html",
        module=module,
        progress=progress,
        locked=locked,
        page=page,
        parts=render_body(page.body) if page else [],
        studied=studied_page_ids(current_user),
        form=StudiedForm(),
        is_trainee=current_user.has_role(Role.TRAINEE),
        reading_seconds=required_seconds(page) if page else None,
        reading_form=ReadingTimeForm(seconds=module.min_reading_seconds),
        can_set_reading_time=current_user.has_any_role(Role.TRAINER, Role.ADMIN),
    )


@bp.post("/modules/<key>/pages/<page_key>/opened")
@require_role(Role.TRAINEE)
def page_opened(key: str, page_key: str):
    """The page's beacon: records the first view (the module GET never writes)."""
    page = _page_or_404(get_module(key), page_key)
    with unit_of_work():
        record_page_opened(current_user, page)
    return "", 204


@bp.post("/modules/<key>/reading-time")
@require_role(Role.TRAINER, Role.ADMIN)
def reading_time(key: str):
    module = get_module(key)
    form = ReadingTimeForm()
    if not form.validate_on_submit():
        flash(_("Enter a whole number of seconds, or leave it empty for the default."), "warning")
        return redirect(url_for(".module", key=key))
    with unit_of_work(success=_("Minimum reading time saved."), category="warning"):
        set_min_reading_seconds(current_user, module, form.seconds.data)
    return redirect(url_for(".module", key=key))


def _page_or_404(module: ContentModule, page_key: str) -> ModulePage:
    page = next((p for p in module.pages if p.key == page_key), None)
    if page is None:
        abort(404)
    return page


@bp.post("/modules/<key>/pages/<page_key>/studied")
@require_role(Role.TRAINEE)
def mark_studied(key: str, page_key: str):
    module = get_module(key)
    page = next((p for p in module.pages if p.key == page_key), None)
    if page is None or not StudiedForm().validate_on_submit():
        abort(404 if page is None else 400)
    with unit_of_work():
        # the first view stands even when the click comes too early (pages without JavaScript)
        record_page_opened(current_user, page)
    with unit_of_work(category="warning") as work:
        study_page(current_user, page)
    if isinstance(work.error, ReadTooFast):
        return redirect(url_for(".module", key=key, page=page.key))
    if work.failed:
        return redirect(url_for(".module", key=key))
    following = _next_page(module, page)
    if following is None:
        flash(_("Module “%(title)s” studied.", title=module.title), "success")
        return redirect(url_for(".modules"))
    return redirect(url_for(".module", key=key, page=following.key))


def _next_page(module: ContentModule, page: ModulePage) -> ModulePage | None:
    index = module.pages.index(page)
    return module.pages[index + 1] if index + 1 < len(module.pages) else None


# ---- procedures ---------------------------------------------------------------------------


@bp.get("/procedures")
@any_user
def procedures():
    return render_template("content/procedures.html", procedures=procedures_in_teaching_order())


@bp.get("/procedures/<key>")
@any_user
def procedure(key: str):
    return render_template("content/procedure.html", procedure=get_procedure(key))


@bp.get("/procedures/<key>/card")
@any_user
def cue_card(key: str):
    return render_template("content/cue_card.html", procedure=get_procedure(key))


@bp.route("/procedures/<key>/edit", methods=["GET", "POST"])
@require_role(Role.TRAINER)
def edit_procedure(key: str):
    procedure = get_procedure(key)
    form = ProcedureForm(obj=procedure)
    if form.validate_on_submit():
        with unit_of_work(success=_("Procedure saved."), form=form) as work:
            update_procedure(
                current_user, procedure, title=form.title.data, summary=form.summary.data or ""
            )
        if not work.failed:
            return redirect(url_for(".procedure", key=key))
    return render_template("content/procedure_form.html", procedure=procedure, form=form)


@bp.route("/procedures/<key>/steps/<step_key>/edit", methods=["GET", "POST"])
@require_role(Role.TRAINER)
def edit_step(key: str, step_key: str):
    procedure = get_procedure(key)
    step = next((s for s in procedure.steps if s.key == step_key), None)
    if step is None:
        abort(404)
    form = StepForm()
    if request.method == "GET":
        form.title.data, form.standard.data = step.title, step.standard
        form.script.data = "\n".join(step.script)
        form.reminders.data = format_reminders(step.reminders)
    preview = None
    if form.validate_on_submit():
        fields = {
            "title": form.title.data,
            "standard": form.standard.data,
            "script": form.script.data,
            "reminders": form.reminders.data or "",
        }
        saved = _("Step saved; the change is recorded in the history.")
        with unit_of_work(success=None if form.preview.data else saved, form=form) as work:
            if form.preview.data:  # builds the step without saving anything
                preview = build_step(step, **fields)
            else:
                update_step(current_user, step, **fields)
        if not work.failed and not form.preview.data:
            return redirect(url_for(".procedure", key=key, _anchor=f"step-{step.key}"))
    return render_template(
        "content/step_form.html",
        procedure=procedure,
        step=step,
        form=form,
        preview=preview,
    )


@bp.get("/procedures/<key>/history")
@require_role(Role.TRAINER)
def history(key: str):
    procedure = get_procedure(key)
    revisions = db.session.scalars(
        select(ContentRevision)
        .where(ContentRevision.kind == "procedure", ContentRevision.key == key)
        .order_by(ContentRevision.version.desc())
    ).all()
    return render_template("content/history.html", procedure=procedure, revisions=revisions)


@bp.route("/phrases/<key>/edit", methods=["GET", "POST"])
@require_role(Role.TRAINER)
def edit_phrase(key: str):
    phrase = get_phrase(key)
    if phrase is None:
        abort(404)
    form = PhraseForm()
    if not form.is_submitted():
        form.phrase.data, form.category.data = phrase.phrase, phrase.category
        form.reason.data, form.alternative.data = phrase.reason, phrase.alternative
        form.variants.data = "\n".join(phrase.variants)
        form.allowed_contexts.data = "\n".join(phrase.allowed_contexts)
    preview = sample_findings = None
    if form.validate_on_submit():
        fields = {
            "phrase": form.phrase.data,
            "category": form.category.data,
            "reason": form.reason.data,
            "alternative": form.alternative.data,
            "variants": form.variants.data or "",
            "allowed_contexts": form.allowed_contexts.data or "",
        }
        saved = None if form.preview.data else _("Phrase saved.")
        with unit_of_work(success=saved, form=form) as work:
            if form.preview.data:  # builds the phrase without saving anything
                preview = build_phrase(phrase, **fields)
                sample = form.sample.data or ""
                sample_findings = PhraseMatcher([preview_rule(preview)]).scan(sample)
            else:
                update_phrase(current_user, phrase, **fields)
        if not work.failed and not form.preview.data:
            return redirect(url_for("phrases.index", _anchor=f"phrase-{phrase.key}"))
    return render_template(
        "content/phrase_form.html",
        phrase=phrase,
        form=form,
        preview=preview,
        sample_findings=sample_findings,
    )

"""Trainer routes of the question form editor: new and edit (each save a version), the
text preview. Thin: the form is read and checked by quizzes.question_editor."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.permissions import Role, require_role
from trainer.quizzes.authoring import (
    answers_using,
    category_names,
    create_question_from_form,
    edit_question_from_form,
    link_options,
)
from trainer.quizzes.bank_browser import where_used
from trainer.quizzes.banks import as_native
from trainer.quizzes.forms import EmptyForm
from trainer.quizzes.models import Question, QuestionBank, Quiz
from trainer.quizzes.presenters import for_attempt, for_review, resolve_links
from trainer.quizzes.question_editor import (
    Built,
    editable_types,
    editor_model,
    editor_options,
    form_can_edit,
    read_form,
)
from trainer.quizzes.question_types import question_types
from trainer.quizzes.quiz_builder import available, picker
from trainer.quizzes.review import STAFF_VIEW
from trainer.quizzes.rich_text import render
from trainer.quizzes.sandbox import mark, new_seed, question_slots, quiz_slots
from trainer.quizzes.services import QuizError
from trainer.unit_of_work import unit_of_work

bp = Blueprint("question_admin", __name__, url_prefix="/manage")
STAFF = (Role.TRAINER, Role.ADMIN)
BLANK = {
    "type": "single_choice",
    "text": "",
    "category": "",
    "points": 1,
    "choices": [{"text": "", "fraction": 1}, {"text": "", "fraction": 0}],
}


def render_editor(bank: QuestionBank, question: Question | None, model: dict, built: Built):
    types = editable_types()
    return render_template(
        "quizzes/question_form.html",
        bank=bank,
        question=question,
        model=model,
        built=built,
        form=EmptyForm(),
        types=[(name, question_types()[name].label) for name in types],
        options={name: editor_options(name) for name in types if name not in BUILTIN_FORMS},
        links=link_options(),
        categories=category_names(),
        used=answers_using(question) if question else 0,
        where=where_used(question) if question else None,
    )


BUILTIN_FORMS = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numerical",
    "matching",
    "ordering",
    "cloze",
    "essay",
)


class FormRefused(DomainError):
    """The editor's fields do not make a valid question; `built` holds the field messages."""

    def __init__(self, built):
        self.built = built
        super().__init__()


@bp.route("/banks/<int:bank_id>/questions/new", methods=["GET", "POST"])
@require_role(*STAFF)
def new_question(bank_id: int):
    bank = db.get_or_404(QuestionBank, bank_id)
    form = EmptyForm()
    if form.validate_on_submit():
        fields = request.form.to_dict(flat=False)
        with unit_of_work(success=_("Question created."), show=False) as work:
            question, built = create_question_from_form(current_user, bank, fields)
            if question is None:
                raise FormRefused(built)
        if not work.failed:
            return redirect(url_for(".edit", question_id=question.id))
        return render_editor(bank, None, read_form(fields), work.error.built), 422
    model = editor_model({**BLANK, "type": request.args.get("type", "single_choice")})
    if model["type"] not in ("single_choice", "multiple_choice"):
        model["choices"] = []
    return render_editor(bank, None, model, Built(None))


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@require_role(*STAFF)
def edit(question_id: int):
    question = db.get_or_404(Question, question_id)
    native = as_native(question)
    if not form_can_edit(native):
        flash(_("This question uses options the form cannot show: edit its source."), "info")
        return redirect(url_for("quiz_admin.edit", question_id=question.id))
    form = EmptyForm()
    if form.validate_on_submit():
        fields = request.form.to_dict(flat=False)
        with unit_of_work(show=False) as work:
            version, changed, built = edit_question_from_form(
                current_user, question, fields, regrade=bool(request.form.get("regrade"))
            )
            if version is None:
                raise FormRefused(built)
        if not work.failed:
            flash(
                _(
                    "Saved as version %(n)d; %(changed)d attempts regraded.",
                    n=version.number,
                    changed=changed,
                ),
                "success",
            )
            return redirect(url_for(".edit", question_id=question.id))
        return render_editor(question.bank, question, read_form(fields), work.error.built), 422
    return render_editor(question.bank, question, editor_model(native), Built(None))


@bp.post("/text-preview")
@require_role(*STAFF)
def text_preview():
    """The HTML of a text as trainees will see it (sanitised); writes nothing."""
    fmt = request.form.get("format", "plain")
    if fmt not in ("plain", "markdown", "html"):
        fmt = "plain"
    return str(render(request.form.get("text", "")[:20_000], fmt))


def _seed() -> int:
    try:
        return int(request.values.get("seed", ""))
    except ValueError:
        return new_seed()


def render_preview(title: str, slots, seed: int, back: str, quiz: Quiz | None = None):
    """The sandbox page: the questions to answer, or (after POST) the marked answers."""
    result = None
    if request.method == "POST" and EmptyForm().validate_on_submit():
        result = mark(slots, request.form.to_dict(flat=False))
    links = resolve_links(r.version.link for r in slots)
    return render_template(
        "quizzes/preview.html",
        title=title,
        quiz=quiz,
        seed=seed,
        back=back,
        form=EmptyForm(),
        result=result,
        questions=[for_attempt(r) for r in slots],
        items=[for_review(r, STAFF_VIEW, links) for r in slots] if result else [],
    )


@bp.route("/questions/<int:question_id>/preview", methods=["GET", "POST"])
@require_role(*STAFF)
def preview_question(question_id: int):
    """A question as a trainee sees it; answers are marked in memory, nothing is recorded."""
    question = db.get_or_404(Question, question_id)
    seed = _seed()
    # the key is the file handle; a page is named by what a reader sees
    title = question.current.title or Markup(question.current.text).striptags()[:30]
    back = url_for(".edit", question_id=question.id)
    return render_preview(title, question_slots(question, seed), seed, back)


@bp.route("/quizzes/<int:quiz_id>/preview", methods=["GET", "POST"])
@require_role(*STAFF)
def preview_quiz(quiz_id: int):
    """The whole quiz drawn as for a trainee, in a sandbox that records nothing."""
    quiz = db.get_or_404(Quiz, quiz_id)
    seed = _seed()
    back = url_for("quiz_admin.edit_quiz", quiz_id=quiz.id)
    try:
        slots = quiz_slots(quiz, seed)
    except QuizError as exc:
        flash(_("This quiz cannot be drawn: %(problem)s", problem=str(exc)), "danger")
        return redirect(back)
    return render_preview(quiz.title, slots, seed, back, quiz)


@bp.get("/quizzes/available")
@require_role(*STAFF)
def rule_available():
    """How many questions a random rule could draw now (the builder's live count)."""
    exclude = [i for i in request.args.getlist("exclude") if i.isdigit()]
    count = available(
        request.args.get("category", "")[:120],
        request.args.get("purpose", ""),
        exclude,
        tag=request.args.get("tag", "")[:60],
        usage=request.args.get("usage", ""),
    )
    return jsonify(available=count)


@bp.get("/quizzes/picker")
@require_role(*STAFF)
def rule_picker():
    """Questions matching the picker's search, for adding fixed questions."""
    return jsonify(
        questions=picker(request.args.get("q", "").strip()[:200], request.args.get("category", ""))
    )

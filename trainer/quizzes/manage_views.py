"""Trainer routes: bank editor, import/export, quiz settings and results, the essay queue."""

from datetime import UTC

import yaml
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import Response as FlaskResponse
from flask_babel import gettext as _
from flask_babel import to_user_timezone, to_utc
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainer.db import as_utc
from trainer.downloads import content_disposition
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.permissions import Role, require_role
from trainer.quizzes.authoring import category_names
from trainer.quizzes.bank_files import (
    FILE_SUFFIX,
    FORMAT_LABELS,
    FORMATS,
    MIME_TYPES,
    clean,
    detect_format,
    read_bank_file,
)
from trainer.quizzes.banks import (
    as_native,
    edit_question,
    export_bank_text,
    import_bank_file,
    import_questions,
)
from trainer.quizzes.forms import EssayGradeForm, ImportForm, QuestionForm, QuizForm
from trainer.quizzes.marking import essay_queue, grade_essay, regrade_question
from trainer.quizzes.models import (
    Attempt,
    AttemptState,
    Question,
    QuestionBank,
    QuestionVersion,
    Quiz,
    Response,
)
from trainer.quizzes.presenters import for_review, resolve_links
from trainer.quizzes.questions import BankImportError, normalise_question, validate_question
from trainer.quizzes.quiz_builder import builder_rows, rules_from_form
from trainer.quizzes.quiz_setup import questions_index, rules_as_specs, upsert_quiz, validate_quiz
from trainer.quizzes.results import quiz_attempts
from trainer.quizzes.review import POLICY_FIELDS, STAFF_VIEW
from trainer.quizzes.services import load_responses
from trainer.training.models import Cohort
from trainer.training.services import default_programme
from trainer.unit_of_work import unit_of_work
from trainer.yaml_guard import guarded_load

bp = Blueprint("quiz_admin", __name__, url_prefix="/manage")
STAFF = (Role.TRAINER, Role.ADMIN)
RESULTS_PER_PAGE = 50


@bp.get("/banks")
@require_role(*STAFF)
def banks():
    rows = db.session.execute(
        select(QuestionBank, func.count(Question.id))
        .outerjoin(Question)
        .group_by(QuestionBank.id)
        .order_by(QuestionBank.name)
    ).all()
    return render_template(
        "quizzes/banks.html", rows=rows, import_form=ImportForm(), formats=FORMAT_LABELS
    )


@bp.post("/banks/import")
@require_role(*STAFF)
def import_bank():
    form = ImportForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to import."), "warning")
        return redirect(url_for(".banks"))
    filename = form.file.data.filename or "upload"
    fmt = form.format.data if form.format.data in FORMATS else detect_format(filename)
    with unit_of_work(show=False) as work:  # the problems are a page of their own
        bank_file = read_bank_file(
            form.file.data.stream, fmt, filename, skip_unsupported=form.skip_unsupported.data
        )
        name = form.bank.data or bank_file.meta.get("name") or filename.rsplit(".", 1)[0]
        summary = import_bank_file(current_user, name, bank_file, filename)
    if work.failed:
        lines = work.error.lines() if isinstance(work.error, BankImportError) else [work.message]
        return render_template("quizzes/import_errors.html", errors=lines), 422
    flash(str(summary), "success")
    for warning in bank_file.warnings:
        flash(_("Not imported: %(problem)s", problem=warning.format(filename)), "warning")
    return redirect(url_for(".bank", bank_id=summary.bank.id))


@bp.get("/banks/<int:bank_id>")
@require_role(*STAFF)
def bank(bank_id: int):
    bank = db.get_or_404(QuestionBank, bank_id)
    questions = db.session.scalars(
        select(Question)
        .where(Question.bank_id == bank.id)
        .options(selectinload(Question.versions))
        .order_by(Question.category, Question.id)
    ).all()
    return render_template(
        "quizzes/bank.html", bank=bank, questions=questions, formats=FORMAT_LABELS
    )


@bp.get("/banks/<int:bank_id>/export.<fmt>")
@require_role(*STAFF)
def export_bank(bank_id: int, fmt: str):
    bank = db.get_or_404(QuestionBank, bank_id)
    if fmt not in FORMATS:
        abort(404)
    try:
        text = export_bank_text(bank, fmt)
    except DomainError as exc:
        flash(exc.message, "danger")
        return redirect(url_for(".bank", bank_id=bank.id))
    return FlaskResponse(
        text,
        mimetype=f"{MIME_TYPES.get(fmt, 'text/plain')}; charset=utf-8",
        headers={"Content-Disposition": content_disposition(f"{bank.name}.{FILE_SUFFIX[fmt]}")},
    )


def question_from_source(source: str) -> tuple[dict | None, list[str]]:
    try:
        raw = guarded_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [f"line {mark.line + 1 if mark else 1}: {getattr(exc, 'problem', exc)}"]
    if not isinstance(raw, dict):
        return None, [_("A question is a YAML mapping.")]
    question = normalise_question(raw)
    return question, validate_question(question)


NEW_QUESTION_TEMPLATE = """\
type: single_choice
category: procedures/open_account
link: open_account.verify_identity
text: 题干
general_feedback: 解析
choices:
  - {text: 正确选项, correct: true, feedback: 对}
  - {text: 错误选项, feedback: 为什么错}
"""


@bp.route("/banks/<int:bank_id>/questions/new/source", methods=["GET", "POST"])
@require_role(*STAFF)
def new_question(bank_id: int):
    bank = db.get_or_404(QuestionBank, bank_id)
    form = QuestionForm()
    errors: list[str] = []
    if form.validate_on_submit():
        item, errors = question_from_source(form.source.data)
        taken = item is not None and db.session.scalar(
            select(Question.id).where(Question.bank_id == bank.id, Question.key == item["key"])
        )
        if taken:
            errors.append(_("key: %(key)s is already used in this bank", key=item["key"]))
        if item is not None and not errors:
            with unit_of_work(success=_("Question created.")) as work:
                import_questions(current_user, bank.name, [item])
            if not work.failed:
                created = db.session.scalar(
                    select(Question).where(Question.bank_id == bank.id, Question.key == item["key"])
                )
                return redirect(url_for(".edit", question_id=created.id))
    elif request.method == "GET":
        form.source.data = NEW_QUESTION_TEMPLATE
    return render_template("quizzes/question_new.html", bank=bank, form=form, errors=errors)


@bp.route("/questions/<int:question_id>/source", methods=["GET", "POST"])
@require_role(*STAFF)
def edit(question_id: int):
    question = db.get_or_404(Question, question_id)
    form = QuestionForm()
    errors: list[str] = []
    if form.validate_on_submit():
        item, errors = question_from_source(form.source.data)
        if item is not None and not errors:
            item["key"] = question.key
            with unit_of_work() as work:
                version = edit_question(current_user, question, item)
                changed = regrade_question(current_user, question) if form.regrade.data else 0
            if not work.failed:
                saved = _(
                    "Saved as version %(n)d; %(changed)d attempts regraded.",
                    n=version.number,
                    changed=changed,
                )
                flash(saved, "success")
                return redirect(url_for(".edit", question_id=question.id))
    elif request.method == "GET":
        form.source.data = yaml.safe_dump(
            clean(as_native(question)), allow_unicode=True, sort_keys=False, width=100
        )
    used = db.session.scalar(
        select(func.count(Response.id))
        .join(QuestionVersion)
        .where(QuestionVersion.question_id == question.id)
    )
    return render_template(
        "quizzes/question_edit.html", question=question, form=form, errors=errors, used=used
    )


@bp.get("/quizzes")
@require_role(*STAFF)
def quizzes():
    rows = db.session.execute(
        select(Quiz, func.count(Attempt.id))
        .outerjoin(Attempt)
        .group_by(Quiz.id)
        .order_by(Quiz.purpose, Quiz.title)
    ).all()
    return render_template("quizzes/manage_quizzes.html", rows=rows)


def quiz_form(quiz: Quiz | None) -> QuizForm:
    form = QuizForm(obj=quiz) if quiz and request.method == "GET" else QuizForm()
    form.cohort_ids.choices = [
        (c.id, c.name)
        for c in db.session.scalars(select(Cohort).order_by(Cohort.start_date.desc()))
    ]
    if quiz is not None and request.method == "GET":
        form.purpose.data, form.grading_method.data = quiz.purpose.value, quiz.grading_method.value
        for name in POLICY_FIELDS:
            getattr(form, name).data = getattr(quiz, name).value
        form.cohort_ids.data = [c.id for c in quiz.cohorts]
        form.rules.data = yaml.safe_dump(
            rules_as_specs(quiz), allow_unicode=True, sort_keys=False, default_flow_style=None
        )
        for name in ("open_at", "close_at"):
            value = getattr(quiz, name)
            getattr(form, name).data = (
                to_user_timezone(as_utc(value)).replace(tzinfo=None) if value else None
            )
    return form


class QuizFormError(DomainError):
    """The quiz form does not describe a valid quiz; `problems` lists what to fix."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def save_quiz_form(form: QuizForm, quiz: Quiz | None) -> Quiz:
    """Create or update the quiz from the form; QuizFormError lists every problem."""
    if "builder" in request.form:  # the quiz builder's rows; else the advanced YAML rules
        rules, problems = rules_from_form(request.form.to_dict(flat=False), form.purpose.data)
        if problems:
            raise QuizFormError(problems)
    else:
        try:
            rules = guarded_load(form.rules.data or "")
        except yaml.YAMLError as exc:
            raise QuizFormError([f"rules: {getattr(exc, 'problem', exc)}"]) from None
    spec = {
        "key": form.key.data.strip(),
        "title": form.title.data.strip(),
        "description": form.description.data or "",
        "purpose": form.purpose.data,
        "time_limit_minutes": form.time_limit_minutes.data,
        "attempts_allowed": form.attempts_allowed.data,
        "pass_percent": float(form.pass_percent.data),
        "grading_method": form.grading_method.data,
        "shuffle_questions": form.shuffle_questions.data,
        "shuffle_answers": form.shuffle_answers.data,
        **{name: getattr(form, name).data for name in POLICY_FIELDS},
        "rules": rules,
    }
    errors = validate_quiz(spec, questions_index())
    clash = db.session.scalar(select(Quiz.id).where(Quiz.key == spec["key"]))
    if clash and (quiz is None or clash != quiz.id):
        errors.append(_("key: %(key)s is already used", key=spec["key"]))
    if errors:
        raise QuizFormError(errors)
    programme = quiz.programme if quiz else default_programme()
    if quiz is not None and quiz.key != spec["key"]:
        quiz.key = spec["key"]
    saved = upsert_quiz(current_user, programme, spec)
    saved.open_at, saved.close_at = (
        to_utc(value).replace(tzinfo=UTC) if value else None
        for value in (form.open_at.data, form.close_at.data)
    )
    saved.published = form.published.data
    saved.cohorts = [db.get_or_404(Cohort, cid) for cid in form.cohort_ids.data]
    db.session.flush()
    return saved


@bp.route("/quizzes/new", methods=["GET", "POST"])
@bp.route("/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
@require_role(*STAFF)
def edit_quiz(quiz_id: int | None = None):
    quiz = db.get_or_404(Quiz, quiz_id) if quiz_id else None
    form = quiz_form(quiz)
    if quiz is None and request.method == "GET":
        form.rules.data = "- {category: procedures, count: 10}\n"
    errors: list[str] = []
    if form.validate_on_submit():
        with unit_of_work(success=_("Quiz saved."), show=False) as work:
            saved = save_quiz_form(form, quiz)
        if not work.failed:
            return redirect(url_for(".quiz_results", quiz_id=saved.id))
        errors = getattr(work.error, "problems", [work.message])
    return render_template(
        "quizzes/quiz_form.html",
        form=form,
        quiz=quiz,
        errors=errors,
        rows=builder_rows(quiz, request.form.to_dict(flat=False) if errors else None),
        categories=category_names(),
    )


@bp.get("/quizzes/<int:quiz_id>")
@require_role(*STAFF)
def quiz_results(quiz_id: int):
    quiz = db.get_or_404(Quiz, quiz_id)
    q = request.args.get("q", "").strip()
    state = request.args.get("state", "")
    state = AttemptState(state) if state in {s.value for s in AttemptState} else None
    page = db.paginate(
        quiz_attempts(quiz, q=q, state=state), per_page=RESULTS_PER_PAGE, error_out=False
    )
    return render_template(
        "quizzes/quiz_results.html", quiz=quiz, page=page, q=q, state=state, states=AttemptState
    )


@bp.get("/attempts/<int:attempt_id>")
@require_role(*STAFF)
def attempt_review(attempt_id: int):
    """A trainee's attempt as the trainer sees it: every answer, the key and the feedback."""
    attempt = db.get_or_404(Attempt, attempt_id)
    responses = load_responses(attempt) if attempt.state != AttemptState.IN_PROGRESS else []
    links = resolve_links(r.version.link for r in responses)
    return render_template(
        "quizzes/review.html",
        attempt=attempt,
        shows=STAFF_VIEW,
        items=[for_review(r, STAFF_VIEW, links) for r in responses],
        used=None,
        remaining=None,
        staff_view=True,
    )


@bp.get("/grading")
@require_role(*STAFF)
def grading():
    return render_template("quizzes/grading.html", queue=essay_queue())


@bp.route("/grading/<int:response_id>", methods=["GET", "POST"])
@require_role(*STAFF)
def grade(response_id: int):
    response = db.get_or_404(Response, response_id)
    form = EssayGradeForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Essay graded."), field=form.points) as work:
            grade_essay(current_user, response, float(form.points.data), form.comment.data or "")
        if not work.failed:
            return redirect(url_for(".grading"))
    return render_template(
        "quizzes/grade_essay.html",
        response=response,
        form=form,
        item=for_review(response, STAFF_VIEW, resolve_links([response.version.link])),
    )

"""Trainer routes: bank editor, import/export, quiz results and the essay grading queue."""

import yaml
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import Response as FlaskResponse
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from trainer.extensions import db
from trainer.permissions import Role, require_role
from trainer.quizzes.bank_files import FORMATS, clean, read_bank, write_bank
from trainer.quizzes.banks import as_native, edit_question, export_questions, import_questions
from trainer.quizzes.forms import EssayGradeForm, ImportForm, QuestionForm
from trainer.quizzes.marking import essay_queue, grade_essay, regrade_question
from trainer.quizzes.models import (
    Attempt,
    Question,
    QuestionBank,
    QuestionVersion,
    Quiz,
    Response,
)
from trainer.quizzes.presenters import for_review, resolve_links
from trainer.quizzes.questions import BankImportError, normalise_question, validate_question
from trainer.quizzes.services import QuizError

bp = Blueprint("quiz_admin", __name__, url_prefix="/manage")
STAFF = (Role.TRAINER, Role.ADMIN)


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
        "quizzes/banks.html", rows=rows, import_form=ImportForm(), formats=FORMATS
    )


@bp.post("/banks/import")
@require_role(*STAFF)
def import_bank():
    form = ImportForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to import."), "warning")
        return redirect(url_for(".banks"))
    filename = form.file.data.filename or "upload"
    try:
        text = form.file.data.read().decode("utf-8-sig")
        meta, questions = read_bank(text, form.format.data, filename)
    except UnicodeDecodeError:
        errors = [f"{filename}:1: not UTF-8 text"]
    except BankImportError as exc:
        errors = exc.lines()
    else:
        name = form.bank.data or meta.get("name") or filename.rsplit(".", 1)[0]
        summary = import_questions(
            current_user,
            name,
            questions,
            title=meta.get("title"),
            description=meta.get("description"),
        )
        db.session.commit()
        flash(str(summary), "success")
        return redirect(url_for(".bank", bank_id=summary.bank.id))
    return render_template("quizzes/import_errors.html", errors=errors), 422


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
    return render_template("quizzes/bank.html", bank=bank, questions=questions, formats=FORMATS)


@bp.get("/banks/<int:bank_id>/export.<fmt>")
@require_role(*STAFF)
def export_bank(bank_id: int, fmt: str):
    bank = db.get_or_404(QuestionBank, bank_id)
    if fmt not in FORMATS:
        abort(404)
    meta = {"name": bank.name, "title": bank.title, "description": bank.description}
    text = write_bank(meta, export_questions(bank), fmt)
    extension = {"gift": "gift.txt", "yaml": "yaml", "json": "json"}[fmt]
    return FlaskResponse(
        text,
        mimetype="text/plain; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename={bank.name}.{extension}"},
    )


def question_from_source(source: str) -> tuple[dict | None, list[str]]:
    try:
        raw = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [f"line {mark.line + 1 if mark else 1}: {getattr(exc, 'problem', exc)}"]
    if not isinstance(raw, dict):
        return None, [_("A question is a YAML mapping.")]
    question = normalise_question(raw)
    return question, validate_question(question)


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@require_role(*STAFF)
def edit(question_id: int):
    question = db.get_or_404(Question, question_id)
    form = QuestionForm()
    errors: list[str] = []
    if form.validate_on_submit():
        item, errors = question_from_source(form.source.data)
        if item is not None and not errors:
            item["key"] = question.key
            version = edit_question(current_user, question, item)
            changed = regrade_question(current_user, question) if form.regrade.data else 0
            db.session.commit()
            flash(
                _(
                    "Saved as version %(n)d; %(changed)d attempts regraded.",
                    n=version.number,
                    changed=changed,
                ),
                "success",
            )
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


@bp.get("/quizzes/<int:quiz_id>")
@require_role(*STAFF)
def quiz_results(quiz_id: int):
    quiz = db.get_or_404(Quiz, quiz_id)
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.quiz_id == quiz.id)
        .options(joinedload(Attempt.user))
        .order_by(Attempt.started_at.desc())
    ).all()
    return render_template("quizzes/quiz_results.html", quiz=quiz, attempts=attempts)


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
        try:
            grade_essay(current_user, response, float(form.points.data), form.comment.data or "")
        except QuizError as exc:
            db.session.rollback()
            form.points.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Essay graded."), "success")
            return redirect(url_for(".grading"))
    return render_template(
        "quizzes/grade_essay.html",
        response=response,
        form=form,
        item=for_review(response, True, resolve_links([response.version.link])),
    )

"""Authoring services behind the trainer's forms: create and edit questions from the form
editor (each save a new version, audited), and the read-side lists the forms pick from."""

from sqlalchemy import func, select

from trainer.content.models import ContentModule, ModulePage, Procedure, ProcedureStep
from trainer.extensions import db
from trainer.quizzes.banks import as_native, edit_question, import_questions
from trainer.quizzes.marking import regrade_question
from trainer.quizzes.models import Question, QuestionBank, QuestionTag, QuestionVersion, Response
from trainer.quizzes.question_editor import Built, build_question, read_form
from trainer.quizzes.questions import default_key


def link_options() -> list[tuple[str, str]]:
    """(link, label) of every procedure step and module page, for the searchable picker."""
    steps = db.session.execute(
        select(Procedure.key, Procedure.title, ProcedureStep.key, ProcedureStep.title)
        .join(ProcedureStep.procedure)
        .order_by(Procedure.key, ProcedureStep.position)
    )
    pages = db.session.execute(
        select(ContentModule.key, ContentModule.title, ModulePage.key, ModulePage.title)
        .join(ModulePage.module)
        .order_by(ContentModule.key, ModulePage.position)
    )
    return [(f"{pk}.{sk}", f"{pt} › {st}") for pk, pt, sk, st in steps] + [
        (f"{mk}.{pk}", f"{mt} › {pt}") for mk, mt, pk, pt in pages
    ]


def category_names() -> list[str]:
    """Every category in use, each parent path included ("procedures" for "procedures/x")."""
    names = set()
    for category in db.session.scalars(select(Question.category).distinct()):
        parts = category.split("/")
        names.update("/".join(parts[: n + 1]) for n in range(len(parts)))
    return sorted(names)


def tag_names() -> list[str]:
    """Every tag in use, for the builder's and the editor's suggestions."""
    return list(db.session.scalars(select(QuestionTag.tag).distinct().order_by(QuestionTag.tag)))


def _free_key(bank: QuestionBank, wanted: str) -> str:
    taken = set(
        db.session.scalars(
            select(Question.key).where(Question.bank_id == bank.id, Question.key.like(wanted + "%"))
        )
    )
    key, n = wanted, 2
    while key in taken:
        key, n = f"{wanted}-{n}", n + 1
    return key


def create_question_from_form(actor, bank: QuestionBank, fields) -> tuple[Question | None, Built]:
    """A new question of `bank` from posted form fields; (None, problems) when invalid."""
    built = build_question(read_form(fields))
    if built.question is None:
        return None, built
    item = {**built.question, "key": _free_key(bank, default_key(built.question))}
    import_questions(actor, bank.name, [item])
    question = db.session.scalar(
        select(Question).where(Question.bank_id == bank.id, Question.key == item["key"])
    )
    return question, built


def edit_question_from_form(
    actor, question: Question, fields, regrade: bool = False
) -> tuple[QuestionVersion | None, int, Built]:
    """Save the form as a new version (none when nothing changed); optionally regrade the
    finished attempts with it. Returns (version, attempts regraded, problems)."""
    built = build_question(read_form(fields), base=as_native(question))
    if built.question is None:
        return None, 0, built
    version = edit_question(actor, question, built.question)
    changed = regrade_question(actor, question) if regrade else 0
    return version, changed, built


def answers_using(question: Question) -> int:
    """How many recorded answers were given to any version of `question`."""
    return db.session.scalar(
        select(func.count(Response.id))
        .join(QuestionVersion)
        .where(QuestionVersion.question_id == question.id)
    )

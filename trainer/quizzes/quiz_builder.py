"""The quiz builder behind the quiz form: rule rows ↔ rule specs, how many questions a random
rule can draw (the count shown live), and the fixed-question picker."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from trainer.extensions import db
from trainer.quizzes.bank_browser import Filters, current_version_ids, in_category, search
from trainer.quizzes.drawing import drawable_usages
from trainer.quizzes.models import Purpose, Question, QuestionBank, QuestionVersion, Quiz
from trainer.quizzes.start_plan import manual_types


def available(category: str, purpose: str, exclude=()) -> int:
    """Questions a random rule of `category` may draw in a quiz of `purpose`: live, graded
    automatically, of a usage the purpose allows, not already fixed in the quiz."""
    category = category.strip().strip("/")
    if not category or purpose not in {p.value for p in Purpose}:
        return 0
    newest = current_version_ids()
    return db.session.scalar(
        select(func.count(Question.id))
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(newest, newest.c.id == QuestionVersion.id)
        .where(
            Question.archived.is_(False),
            in_category(category),
            Question.usage.in_(sorted(drawable_usages(purpose))),
            QuestionVersion.type.not_in(manual_types()),
            Question.id.not_in([int(i) for i in exclude]),
        )
    )


def _column(fields, name: str) -> list[str]:
    return [str(v).strip() for v in fields.get(name, [])]


def rules_from_form(fields, purpose: str) -> tuple[list[dict], list[str]]:
    """Rule specs (as quizzes.yaml writes them) from the builder's rows, in their order, and
    the problems, each naming its row."""
    kinds, questions = _column(fields, "rule-kind"), _column(fields, "rule-question")
    categories, counts = _column(fields, "rule-category"), _column(fields, "rule-count")
    rows = list(zip(kinds, questions, categories, counts, strict=False))
    fixed_ids = [int(q) for kind, q, _c, _n in rows if kind == "fixed" and q.isdigit()]
    refs = dict(
        db.session.execute(
            select(Question.id, QuestionBank.name + "/" + Question.key)
            .join(QuestionBank)
            .where(Question.id.in_(fixed_ids))
        ).all()
    )
    specs, errors = [], []
    for n, (kind, question, category, count) in enumerate(rows, 1):
        label = _("Rule %(n)d", n=n)
        if kind == "fixed":
            if not question.isdigit() or int(question) not in refs:
                errors.append(
                    _(
                        "%(field)s: %(problem)s",
                        field=label,
                        problem=_("the question no longer exists"),
                    )
                )
                continue
            specs.append({"question": refs[int(question)]})
            continue
        wanted = int(count) if count.isdigit() else 0
        if not category:
            errors.append(_("%(field)s: %(problem)s", field=label, problem=_("choose a category")))
            continue
        if wanted < 1:
            errors.append(
                _(
                    "%(field)s: %(problem)s",
                    field=label,
                    problem=_("the number of questions must be at least 1"),
                )
            )
            continue
        pool = available(category, purpose, fixed_ids)
        if pool < wanted:
            errors.append(
                _(
                    "%(field)s: %(problem)s",
                    field=label,
                    problem=_(
                        "category %(category)s has %(pool)d questions this quiz may draw, "
                        "%(wanted)d needed",
                        category=category,
                        pool=pool,
                        wanted=wanted,
                    ),
                )
            )
            continue
        specs.append({"category": category.strip("/"), "count": wanted})
    if not rows:
        errors.append(_("Add at least one fixed question or random rule."))
    return specs, errors


def builder_rows(quiz: Quiz | None, fields=None) -> list[dict]:
    """The rows the builder shows: the posted ones after an error, else the quiz's rules."""
    if fields is not None and "rule-kind" in fields:
        kinds, questions = _column(fields, "rule-kind"), _column(fields, "rule-question")
        categories, counts = _column(fields, "rule-category"), _column(fields, "rule-count")
        ids = [int(q) for q in questions if q.isdigit()]
        labels = question_labels(ids)
        return [
            {
                "kind": k,
                "question_id": q,
                "label": labels.get(int(q), "") if q.isdigit() else "",
                "category": c,
                "count": n,
            }
            for k, q, c, n in zip(kinds, questions, categories, counts, strict=False)
        ]
    if quiz is None:
        return []
    labels = question_labels([r.question_id for r in quiz.rules if r.question_id])
    return [
        {
            "kind": "fixed",
            "question_id": str(r.question_id),
            "label": labels.get(r.question_id, ""),
            "category": "",
            "count": "1",
        }
        if r.question_id is not None
        else {
            "kind": "random",
            "question_id": "",
            "label": "",
            "category": r.category,
            "count": str(r.count),
        }
        for r in quiz.rules
    ]


def question_labels(ids) -> dict[int, str]:
    newest = current_version_ids()
    rows = db.session.execute(
        select(Question.id, Question.key, QuestionVersion.title, QuestionVersion.text)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(newest, newest.c.id == QuestionVersion.id)
        .where(Question.id.in_(list(ids)))
    )
    return {qid: (title or text[:60]) + f" ({key})" for qid, key, title, text in rows}


def picker(text: str, category: str = "", limit: int = 20) -> list[dict]:
    """Questions a trainer may add as fixed ones: the bank browser's search, one short page."""
    page = search(Filters(text=text, category=category), 1, size=limit)
    return [
        {
            "id": row.id,
            "label": (row.title or row.text[:60]) + f" ({row.key})",
            "category": row.category,
            "type": row.type,
        }
        for row in page.rows
    ]

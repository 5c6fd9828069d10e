"""The quiz builder behind the quiz form: rule rows ↔ rule specs, how many questions a random
rule ("N from category / tag / usage") can draw (the count shown live), and the picker."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from trainer.extensions import db
from trainer.quizzes.bank_browser import Filters, current_version_ids, search
from trainer.quizzes.drawing import drawable_usages
from trainer.quizzes.models import Purpose, Question, QuestionBank, QuestionVersion, Quiz, Usage
from trainer.quizzes.quiz_setup import random_spec
from trainer.quizzes.rule_pool import USAGE_LABELS, describe_rule, rule_pool

ROW_FIELDS = ("kind", "question", "category", "tag", "usage", "count")
USAGES = tuple(u.value for u in Usage)


@dataclass
class RuleRow:
    kind: str
    question: str
    category: str
    tag: str
    usage: str
    count: str

    @property
    def wanted(self) -> int:
        return int(self.count) if self.count.isdigit() else 0


@dataclass(frozen=True)
class RuleProblem:
    """A problem of one builder row (`row` from 1), shown in the row and in the list above."""

    row: int
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        return _("%(field)s: %(problem)s", field=_("Rule %(n)d", n=self.row), problem=self.message)


def read_rows(fields) -> list[RuleRow]:
    """The builder's rows from the posted columns (a column a row lacks reads as empty)."""
    columns = [[str(v).strip() for v in fields.get(f"rule-{name}", [])] for name in ROW_FIELDS]
    return [
        RuleRow(*(column[n] if n < len(column) else "" for column in columns))
        for n in range(len(columns[0]))
    ]


def available(category: str, purpose: str, exclude=(), tag: str = "", usage: str = "") -> int:
    """Questions a random rule may draw in a quiz of `purpose`: live, graded automatically,
    of the rule's category, tag and usage and a usage the purpose allows, not already fixed."""
    category, tag = category.strip().strip("/"), tag.strip()
    if purpose not in {p.value for p in Purpose} or usage not in ("", *USAGES):
        return 0
    return len(rule_pool(purpose, category, tag or None, usage or None, exclude))


def _purpose_draws(purpose: str, usage: str) -> bool:
    return not usage or Usage(usage) in drawable_usages(purpose)


def _row_problem(row: RuleRow, purpose: str) -> str | None:
    """What is wrong with a random row before counting its questions."""
    if row.usage not in ("", *USAGES):
        return _("choose a usage")
    if not (row.category or row.tag or row.usage):
        return _("choose a category, a tag or a usage")
    if len(row.tag) > 60:
        return _("a tag has at most 60 characters")
    if row.wanted < 1:
        return _("the number of questions must be at least 1")
    if not _purpose_draws(purpose, row.usage):
        return _(
            "this quiz's purpose never draws questions of usage “%(usage)s”",
            usage=USAGE_LABELS[row.usage],
        )
    return None


def rules_from_form(fields, purpose: str) -> tuple[list[dict], list[RuleProblem]]:
    """Rule specs (as quizzes.yaml writes them) from the builder's rows, in their order, and
    the problems, each naming its row. Random rows whose pools share questions compete for
    them, so each pool must hold what every rule drawing from it takes."""
    rows = read_rows(fields)
    fixed_ids = [int(r.question) for r in rows if r.kind == "fixed" and r.question.isdigit()]
    refs = dict(
        db.session.execute(
            select(Question.id, QuestionBank.name + "/" + Question.key)
            .join(QuestionBank)
            .where(Question.id.in_(fixed_ids))
        ).all()
    )
    specs: dict[int, dict] = {}
    problems: list[RuleProblem] = []
    pools: dict[int, set[int]] = {}
    valid_purpose = purpose in {p.value for p in Purpose}
    for n, row in enumerate(rows, 1):
        if row.kind == "fixed":
            if not row.question.isdigit() or int(row.question) not in refs:
                problems.append(RuleProblem(n, _("the question no longer exists")))
            else:
                specs[n] = {"question": refs[int(row.question)]}
            continue
        problem = _row_problem(row, purpose) if valid_purpose else None
        if problem:
            problems.append(RuleProblem(n, problem))
            continue
        specs[n] = random_spec(row.category.strip("/"), row.tag, row.usage, row.wanted)
        if valid_purpose:
            pools[n] = set(
                rule_pool(purpose, row.category, row.tag or None, row.usage or None, fixed_ids)
            )
    for n, pool in pools.items():
        row = rows[n - 1]
        needed = sum(rows[m - 1].wanted for m, other in pools.items() if m == n or other & pool)
        if len(pool) >= needed:
            continue
        rule = describe_rule(row.category.strip("/"), row.tag, row.usage or None)
        if needed == row.wanted:
            message = _(
                "%(rule)s has %(pool)d questions this quiz may draw, %(wanted)d needed",
                rule=rule,
                pool=len(pool),
                wanted=needed,
            )
        else:
            message = _(
                "%(rule)s has %(pool)d questions this quiz may draw; other rules draw from "
                "them too, so %(wanted)d are needed",
                rule=rule,
                pool=len(pool),
                wanted=needed,
            )
        problems.append(RuleProblem(n, message))
    problems.sort(key=lambda p: p.row)
    if not rows:
        problems.append(RuleProblem(0, _("Add at least one fixed question or random rule.")))
    return [specs[n] for n in sorted(specs)], problems


def builder_rows(quiz: Quiz | None, fields=None, problems=()) -> list[dict]:
    """The rows the builder shows: the posted ones after an error (with their problems),
    else the quiz's rules."""
    if fields is not None and "rule-kind" in fields:
        rows = read_rows(fields)
        labels = question_labels([int(r.question) for r in rows if r.question.isdigit()])
        errors = {p.row: p.message for p in problems}
        return [
            {
                "kind": r.kind,
                "question_id": r.question,
                "label": labels.get(int(r.question), "") if r.question.isdigit() else "",
                "category": r.category,
                "tag": r.tag,
                "usage": r.usage,
                "count": r.count,
                "error": errors.get(n, ""),
            }
            for n, r in enumerate(rows, 1)
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
            "tag": "",
            "usage": "",
            "count": "1",
            "error": "",
        }
        if r.question_id is not None
        else {
            "kind": "random",
            "question_id": "",
            "label": "",
            "category": r.category,
            "tag": r.tag or "",
            "usage": r.usage.value if r.usage else "",
            "count": str(r.count),
            "error": "",
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

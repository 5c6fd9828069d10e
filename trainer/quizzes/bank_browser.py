"""The bank browser: search, filter, sort and page questions in SQL; bulk changes; categories.

Listing reads one page of rows (current version via a max-id subquery) plus their tags, so a
bank of thousands of questions lists as fast as a small one. Bulk changes are single UPDATEs,
audited once per action.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, exists, func, insert, literal, or_, select, update

from trainer.audit.services import record
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.quizzes.assets import load_assets
from trainer.quizzes.bank_files import write_bank
from trainer.quizzes.banks import as_native, import_questions
from trainer.quizzes.drawing import rule_takes
from trainer.quizzes.models import (
    Attempt,
    AttemptState,
    Question,
    QuestionBank,
    QuestionTag,
    QuestionVersion,
    Quiz,
    QuizRule,
    Response,
    Usage,
)
from trainer.quizzes.rule_pool import manual_types

PAGE_SIZE = 50
SORTS = {
    "newest": (Question.id.desc(),),
    "oldest": (Question.id.asc(),),
    "category": (Question.category, Question.id),
    "type": (QuestionVersion.type, Question.id),
    "changed": (QuestionVersion.created_at.desc(), Question.id.desc()),
    "hardest": (),  # by facility (ascending, questions without data last): see search()
    "easiest": (),
}


@dataclass
class Filters:
    text: str = ""
    bank_id: int | None = None
    category: str = ""  # a prefix: "procedures" takes "procedures/open_account"
    type: str = ""
    usage: str = ""
    tag: str = ""
    never_used: bool = False
    archived: bool = False  # show archived questions instead of live ones
    facility: str = ""  # a band of FACILITY_BANDS
    sort: str = "newest"

    @classmethod
    def from_args(cls, args) -> "Filters":
        bank = args.get("bank", "")
        return cls(
            text=args.get("q", "").strip()[:200],
            bank_id=int(bank) if bank.isdigit() else None,
            category=args.get("category", "").strip().strip("/"),
            type=args.get("type", ""),
            usage=args.get("usage", "") if args.get("usage") in {u.value for u in Usage} else "",
            tag=args.get("tag", "").strip(),
            never_used=args.get("never_used") == "1",
            archived=args.get("archived") == "1",
            facility=args.get("facility") if args.get("facility") in FACILITY_BANDS else "",
            sort=args.get("sort") if args.get("sort") in SORTS else "newest",
        )


@dataclass
class Row:
    id: int
    key: str
    bank: str
    category: str
    usage: Usage
    archived: bool
    type: str
    title: str
    text: str
    version: int
    tags: list[str] = field(default_factory=list)
    facility: float | None = None  # proportion correct over graded attempts; None: no data


@dataclass
class Page:
    rows: list[Row]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def current_version_ids():
    return (
        select(func.max(QuestionVersion.id).label("id"))
        .group_by(QuestionVersion.question_id)
        .subquery()
    )


def in_category(prefix: str):
    return or_(Question.category == prefix, Question.category.startswith(prefix + "/"))


def never_used():
    """Never answered in any attempt and not a fixed question of any quiz."""
    answered = (
        select(Response.id)
        .join(QuestionVersion, Response.question_version_id == QuestionVersion.id)
        .where(QuestionVersion.question_id == Question.id)
    )
    fixed = select(QuizRule.id).where(QuizRule.question_id == Question.id)
    return and_(~exists(answered), ~exists(fixed))


# Facility bands (Moodle's item analysis reads facility < 30 % as hard, > 70 % as easy).
FACILITY_BANDS = ("low", "mid", "high", "none")
LOW, HIGH = 0.3, 0.7


def _facility_select(question_ids=None):
    """(question id, facility) over the responses of every graded attempt: summed per
    version first (one pass over the response table through its attempt index), then per
    question, as item analysis computes it (reports/item_analysis.py: mean mark / max mark)."""
    graded = select(Attempt.id).where(Attempt.state == AttemptState.GRADED)
    per_version = select(
        Response.question_version_id.label("version_id"),
        func.sum(func.coalesce(Response.score, 0.0)).label("marks"),
        func.count(Response.id).label("responses"),
    ).where(Response.attempt_id.in_(graded))
    if question_ids is not None:
        versions = select(QuestionVersion.id).where(QuestionVersion.question_id.in_(question_ids))
        per_version = per_version.where(Response.question_version_id.in_(versions))
    summed = per_version.group_by(Response.question_version_id).subquery()
    facility = (
        func.sum(summed.c.marks)
        / func.sum(summed.c.responses)
        / func.nullif(func.max(QuestionVersion.points), 0)
    )
    return (
        select(QuestionVersion.question_id.label("question_id"), facility.label("facility"))
        .join(summed, summed.c.version_id == QuestionVersion.id)
        .group_by(QuestionVersion.question_id)
    )


def facilities(question_ids=None) -> dict[int, float | None]:
    """Question id → facility; questions never answered in a graded attempt are absent."""
    rows = db.session.execute(_facility_select(question_ids))
    return {qid: None if value is None else float(value) for qid, value in rows}


def facility_band(value: float | None) -> str:
    if value is None:
        return "none"
    return "low" if value < LOW else "high" if value > HIGH else "mid"


# Above this many ids a band is selected in SQL instead of listed (SQLite binds at most
# 32,766 parameters): the aggregate then runs once for the count and once for the page.
MAX_LISTED = 20_000


def in_facility_band(band: str, measured: dict[int, float | None]):
    """The band's condition, from the facilities measured once for the request."""
    if len(measured) > MAX_LISTED:
        return _band_in_sql(band)
    if band == "none":
        return Question.id.not_in(list(measured))
    return Question.id.in_([qid for qid, value in measured.items() if facility_band(value) == band])


def _band_in_sql(band: str):
    measured = _facility_select().subquery()
    if band == "none":
        return Question.id.not_in(select(measured.c.question_id))
    value = measured.c.facility
    where = {"low": value < LOW, "mid": value.between(LOW, HIGH), "high": value > HIGH}[band]
    return Question.id.in_(select(measured.c.question_id).where(where))


def _conditions(filters: Filters, measured=None) -> list:
    where = [Question.archived.is_(filters.archived)]
    if filters.text:
        like = f"%{filters.text}%"
        where.append(
            or_(
                QuestionVersion.text.ilike(like),
                QuestionVersion.title.ilike(like),
                Question.key.ilike(like),
            )
        )
    if filters.bank_id:
        where.append(Question.bank_id == filters.bank_id)
    if filters.category:
        where.append(in_category(filters.category))
    if filters.type:
        where.append(QuestionVersion.type == filters.type)
    if filters.usage:
        where.append(Question.usage == Usage(filters.usage))
    if filters.tag:
        where.append(
            Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.tag == filters.tag))
        )
    if filters.never_used:
        where.append(never_used())
    if filters.facility:
        where.append(in_facility_band(filters.facility, measured or {}))
    return where


def current_version_of_question():
    """The current version's id of the outer query's question: one index lookup per row, so
    a page ordered by question stops after its 50 rows instead of grouping every version."""
    return (
        select(func.max(QuestionVersion.id))
        .where(QuestionVersion.question_id == Question.id)
        .correlate(Question)
        .scalar_subquery()
    )


def _needs_version(filters: Filters) -> bool:
    return bool(filters.text or filters.type) or filters.sort in ("type", "changed")


def _base(filters: Filters, *columns, with_version: bool = True, measured=None):
    query = select(*columns).select_from(Question)
    if with_version:
        query = query.join(
            QuestionVersion,
            and_(
                QuestionVersion.question_id == Question.id,
                QuestionVersion.id == current_version_of_question(),
            ),
        )
    return query.where(*_conditions(filters, measured))


def search(filters: Filters, page: int = 1, size: int = PAGE_SIZE) -> Page:
    """One page of the questions matching `filters` (four queries, whatever the bank size;
    a facility filter measures every question once, for the count and the page)."""
    measured = facilities() if filters.facility else None
    total = db.session.scalar(
        _base(
            filters,
            func.count(Question.id),
            with_version=_needs_version(filters),
            measured=measured,
        )
    )
    page = max(1, min(page, max(1, -(-total // size))))
    query = (
        _base(
            filters,
            Question.id,
            Question.key,
            QuestionBank.name,
            Question.category,
            Question.usage,
            Question.archived,
            QuestionVersion.type,
            QuestionVersion.title,
            func.substr(QuestionVersion.text, 1, 160),
            QuestionVersion.number,
            measured=measured,
        )
        .join(QuestionBank, QuestionBank.id == Question.bank_id)
        .order_by(*SORTS[filters.sort])
    )
    if filters.sort in ("hardest", "easiest"):
        measured_sql = _facility_select().subquery()
        value = measured_sql.c.facility
        query = query.outerjoin(measured_sql, measured_sql.c.question_id == Question.id).order_by(
            (value.asc() if filters.sort == "hardest" else value.desc()).nulls_last(), Question.id
        )
    rows = db.session.execute(query.limit(size).offset((page - 1) * size)).all()
    found = [Row(*row) for row in rows]
    by_id = {row.id: row for row in found}
    if by_id:
        for qid, tag in db.session.execute(
            select(QuestionTag.question_id, QuestionTag.tag)
            .where(QuestionTag.question_id.in_(list(by_id)))
            .order_by(QuestionTag.tag)
        ):
            by_id[qid].tags.append(tag)
        on_page = measured if measured is not None else facilities(list(by_id))
        for qid, row in by_id.items():
            row.facility = on_page.get(qid)
    return Page(found, total, page, size)


def facets() -> dict:
    """What the filter lists offer: banks, categories (with parents), tags, types in use."""
    categories = set()
    for category in db.session.scalars(select(Question.category).distinct()):
        parts = category.split("/")
        categories.update("/".join(parts[: n + 1]) for n in range(len(parts)))
    return {
        "banks": db.session.execute(
            select(QuestionBank.id, QuestionBank.title).order_by(QuestionBank.title)
        ).all(),
        "categories": sorted(categories),
        "tags": db.session.scalars(
            select(QuestionTag.tag).distinct().order_by(QuestionTag.tag)
        ).all(),
    }


# ---- bulk changes -----------------------------------------------------------------------


class BulkError(DomainError, ValueError):
    """A bulk request that cannot be applied; the message is safe to show."""


def _selected(ids) -> list[int]:
    return sorted({int(i) for i in ids if str(i).isdigit()})


def bulk_change(actor, ids, action: str, value: str = "") -> int:
    """Apply `action` to the questions `ids`; returns how many were changed.

    Actions: move (category `value`), usage (`value`), tag / untag (`value`), archive, restore.
    """
    ids = _selected(ids)
    if not ids:
        raise BulkError(_l("Select at least one question."))
    value = value.strip().strip("/") if action == "move" else value.strip()
    statement = update(Question).where(Question.id.in_(ids))
    if action == "move":
        if not value:
            raise BulkError(_l("Choose a category."))
        result = db.session.execute(statement.values(category=value))
    elif action == "usage":
        if value not in {u.value for u in Usage}:
            raise BulkError(_l("Choose a usage."))
        result = db.session.execute(statement.values(usage=Usage(value)))
    elif action in ("archive", "restore"):
        result = db.session.execute(statement.values(archived=action == "archive"))
    elif action in ("tag", "untag"):
        if not value or len(value) > 60:
            raise BulkError(_l("Give a tag of at most 60 characters."))
        db.session.execute(
            delete(QuestionTag).where(QuestionTag.question_id.in_(ids), QuestionTag.tag == value)
        )
        if action == "tag":
            db.session.execute(insert(QuestionTag), [{"question_id": i, "tag": value} for i in ids])
        result = None
    else:
        raise BulkError(_l("Choose an action."))
    db.session.expire_all()
    changed = result.rowcount if result is not None else len(ids)
    _audit(actor, f"question.bulk_{action}", ids, value=value)
    return changed


def _audit(actor, action: str, ids: list[int], **after) -> None:
    """One audit entry per bank touched, naming the questions changed in it."""
    by_bank: dict[int, list[int]] = {}
    for qid, bank_id in db.session.execute(
        select(Question.id, Question.bank_id).where(Question.id.in_(ids))
    ):
        by_bank.setdefault(bank_id, []).append(qid)
    for bank_id, questions in by_bank.items():
        record(
            actor,
            action,
            db.session.get(QuestionBank, bank_id),
            after={**after, "questions": questions},
        )


def export_selection(ids, fmt: str) -> str:
    """The selected questions as one file of `fmt` (raises DomainError when a format cannot
    carry one of them, e.g. a role-play question in GIFT)."""
    questions = [
        as_native(q)
        for q in db.session.scalars(
            select(Question).where(Question.id.in_(_selected(ids))).order_by(Question.id)
        )
    ]
    if not questions:
        raise BulkError(_l("Select at least one question."))
    digests = [sha for q in questions for sha in (q.get("files") or {}).values()]
    assets = load_assets(digests) if fmt == "moodlexml" else {}
    return write_bank({"name": "selection", "title": "selection"}, questions, fmt, assets)


def duplicate_question(actor, question: Question) -> Question:
    """A copy in the same bank under a new key, as version 1 of a new question."""
    native = as_native(question)
    taken = set(
        db.session.scalars(select(Question.key).where(Question.bank_id == question.bank_id))
    )
    n = 2
    while f"{question.key}-copy{n if n > 2 else ''}" in taken:
        n += 1
    key = f"{question.key}-copy{n if n > 2 else ''}"
    import_questions(actor, question.bank.name, [{**native, "key": key}])
    return db.session.scalar(
        select(Question).where(Question.bank_id == question.bank_id, Question.key == key)
    )


def where_used(question: Question) -> dict:
    """Quizzes that hold the question fixed or whose random rules may draw it (category, tag,
    usage and the quiz's purpose), and how often it was answered."""
    fixed = db.session.scalars(
        select(Quiz).join(QuizRule).where(QuizRule.question_id == question.id).distinct()
    ).all()
    drawn: list[Quiz] = []
    drawable = question.current.type not in manual_types()
    for rule, quiz in db.session.execute(
        select(QuizRule, Quiz)
        .join(Quiz, Quiz.id == QuizRule.quiz_id)
        .where(QuizRule.category.is_not(None), literal(drawable))
        .order_by(Quiz.id, QuizRule.position)
    ).all():
        spec = {"category": rule.category, "tag": rule.tag, "usage": rule.usage}
        takes = rule_takes(spec, quiz.purpose, question.category, question.usage, question.tags)
        if takes and quiz not in drawn:
            drawn.append(quiz)
    answers = db.session.scalar(
        select(func.count(Response.id))
        .join(QuestionVersion, Response.question_version_id == QuestionVersion.id)
        .where(QuestionVersion.question_id == question.id)
    )
    return {"fixed": fixed, "drawn": drawn, "answers": answers}


# ---- categories -------------------------------------------------------------------------


def category_tree() -> list[dict]:
    """Every category path with its depth and the number of live questions in it and below."""
    counts = dict(
        db.session.execute(
            select(Question.category, func.count(Question.id))
            .where(Question.archived.is_(False))
            .group_by(Question.category)
        ).all()
    )
    totals: dict[str, int] = {}
    for category, count in counts.items():
        parts = category.split("/")
        for n in range(len(parts)):
            path = "/".join(parts[: n + 1])
            totals[path] = totals.get(path, 0) + count
    return [
        {
            "path": path,
            "name": path.rsplit("/", 1)[-1],
            "depth": path.count("/"),
            "total": total,
            "own": counts.get(path, 0),
        }
        for path, total in sorted(totals.items())
    ]


def rename_category(actor, old: str, new: str) -> int:
    """Move category `old` (and everything below it) to `new`; quiz rules follow."""
    old, new = old.strip().strip("/"), new.strip().strip("/")
    if not old or not new:
        raise BulkError(_l("Give the category and its new name."))
    if new == old or new.startswith(old + "/"):
        raise BulkError(_l("A category cannot move into itself."))
    ids: list[int] = []
    for model, column in ((Question, Question.category), (QuizRule, QuizRule.category)):
        rows = db.session.execute(
            select(model.id, column).where(or_(column == old, column.startswith(old + "/")))
        ).all()
        if rows:
            db.session.execute(
                update(model), [{"id": i, "category": new + c[len(old) :]} for i, c in rows]
            )
        if model is Question:
            ids = [i for i, _c in rows]
    db.session.expire_all()
    _audit(actor, "question.category_rename", ids, before=old, category=new)
    return len(ids)

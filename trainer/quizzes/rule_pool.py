"""The questions a random rule may draw, in SQL: live, automatically graded, of the rule's
category (and below), tag and usage, and of a usage the quiz's purpose allows (drawing.py).
One definition for drawing an attempt, the builder's live count and "where used"."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import and_, func, or_, select

from trainer.extensions import db
from trainer.quizzes.drawing import rule_usages
from trainer.quizzes.models import Question, QuestionTag, QuestionVersion, Usage
from trainer.quizzes.question_types import question_types


def manual_types() -> list[str]:
    """Types a trainer grades (essay, and role-play when that feature registers it)."""
    return [name for name, kind in question_types().items() if kind.manual]


def rule_condition(purpose, category: str = "", tag: str | None = None, usage=None):
    """The WHERE of a random rule over Question (the type is checked with the version)."""
    parts = [
        Question.archived.is_(False),
        Question.usage.in_(sorted(rule_usages(purpose, usage))),
    ]
    prefix = (category or "").strip().strip("/")
    if prefix:
        parts.append(or_(Question.category == prefix, Question.category.startswith(prefix + "/")))
    if tag:
        parts.append(Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.tag == tag)))
    return and_(*parts)


def rule_pool(purpose, category: str = "", tag: str | None = None, usage=None, exclude=()):
    """Ids of the questions the rule may draw (sorted), leaving out `exclude` (fixed ones)."""
    newest = (
        select(func.max(QuestionVersion.id))
        .where(QuestionVersion.question_id == Question.id)
        .correlate(Question)
        .scalar_subquery()
    )
    query = (
        select(Question.id)
        .join(
            QuestionVersion,
            and_(QuestionVersion.question_id == Question.id, QuestionVersion.id == newest),
        )
        .where(
            rule_condition(purpose, category, tag, usage),
            QuestionVersion.type.not_in(manual_types()),
        )
        .order_by(Question.id)
    )
    excluded = {int(i) for i in exclude}
    return [qid for qid in db.session.scalars(query) if qid not in excluded]


USAGE_LABELS = {
    "both": _l("Practice and exams"),
    "practice": _l("Practice only"),
    "exam": _l("Exams only"),
}


def describe_rule(category: str | None, tag: str | None = None, usage=None) -> LazyString:
    """ "category procedures · tag 重点 · usage Exams only", in the reader's language."""

    def text() -> str:
        parts = []
        if category:
            parts.append(_("category %(category)s", category=category))
        if tag:
            parts.append(_("tag %(tag)s", tag=tag))
        if usage:
            parts.append(_("usage %(usage)s", usage=USAGE_LABELS[Usage(usage).value]))
        return " · ".join(parts) or _("every category")

    return LazyString(text)

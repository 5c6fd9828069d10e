"""What a question category is called on a page: its path's segments by the titles of what
they name — a bank (`anti_fraud` → 反电信网络诈骗), a procedure (`procedures/open_account` →
… / 开户/新装) or a content module. A segment nothing names is shown as the code it is.

Categories are free paths typed by authors (Moodle's model); the keys stay the machine
handles in files and URLs, pages show titles.
"""

from flask import g
from flask_babel import gettext
from markupsafe import Markup, escape
from sqlalchemy import select

from trainer.content.models import ContentModule, Procedure
from trainer.extensions import db
from trainer.quizzes.models import QuestionBank
from trainer.quizzes.question_types import question_types


def segment_titles() -> dict[str, str]:
    """key → title of every module, procedure and bank (a bank wins a shared key)."""
    titles: dict[str, str] = {}
    for model, key in ((ContentModule, ContentModule.key), (Procedure, Procedure.key)):
        titles.update(db.session.execute(select(key, model.title)).all())
    titles.update(db.session.execute(select(QuestionBank.name, QuestionBank.title)).all())
    return titles


def _titles() -> dict[str, str]:
    if "category_titles" not in g:  # once per request
        g.category_titles = segment_titles()
    return g.category_titles


def category_title(path: str | None) -> Markup:
    """`procedures/open_account` → 服务流程 / 开户/新装; unnamed segments as <code>."""
    if not path:
        return Markup("")
    titles = _titles()
    parts = [
        escape(titles[segment]) if segment in titles else Markup("<code>%s</code>") % segment
        for segment in path.split("/")
    ]
    return Markup(" / ").join(parts)


def bank_title(name: str) -> str:
    return _titles().get(name, name)


def question_type_label(name: str) -> str:
    kind = question_types().get(name)
    return gettext(kind.label) if kind else name

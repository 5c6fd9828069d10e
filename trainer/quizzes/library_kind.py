"""Questions as a kind of library item (trainer.library.kinds), keyed `bank/key`: a question's
version is its YAML entry, written in one field order on both sides so a diff shows content."""

from functools import partial

import yaml
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trainer.extensions import db
from trainer.library.kinds import (
    ItemInvalid,
    LibraryKind,
    Version,
    library_path,
    register_library_kind,
)
from trainer.quizzes.bank_files import read_yaml
from trainer.quizzes.banks import (
    _placement,
    current_rows,
    edit_question,
    export_questions,
    import_questions,
    library_key,
    meaning_digest,
    question_fields,
    version_fields,
)
from trainer.quizzes.models import Question, QuestionBank
from trainer.quizzes.questions import BankImportError
from trainer.source_files import load_yaml

FIELD_ORDER = ("key", "type", "usage", "category", "link", "title", "points", "text", "format")


def question_text(question: dict) -> str:
    shown = {k: question[k] for k in FIELD_ORDER if question.get(k) not in (None, "", [])}
    shown |= {
        k: v
        for k, v in question.items()
        if k not in shown and not k.startswith("_") and v not in (None, "", [])
    }
    if shown.get("format") == "plain":  # the default, which files leave out
        del shown["format"]
    return yaml.safe_dump(shown, allow_unicode=True, sort_keys=False, width=100)


def file_versions() -> dict[str, Version]:
    versions = {}
    for path in sorted(library_path("question_banks").glob("*.yaml")):
        if path.name == "quizzes.yaml":
            continue
        meta, questions = read_yaml(path.read_text(encoding="utf-8"), path.name)
        bank = meta.get("name") or path.stem
        for q in questions:
            digest = meaning_digest(version_fields(q), question_fields(q))
            versions[library_key(bank, q["key"])] = Version(digest, partial(question_text, q))
    return versions


def db_versions() -> dict[str, Version]:
    versions = {}
    for bank in db.session.scalars(select(QuestionBank).order_by(QuestionBank.name)):
        rows = current_rows(bank.id)
        for native in export_questions(bank):
            row = rows[native["key"]]
            versions[library_key(bank.name, native["key"])] = Version(
                meaning_digest(row, _placement(row)), partial(question_text, native)
            )
    return versions


def parse_question(key: str, text: str) -> tuple[str, dict]:
    """(bank name, question) of a question's YAML text, checked as a bank file is."""
    bank, question_key = key.split("/", 1)
    try:
        entry = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ItemInvalid([f"edited text: invalid YAML: {exc}"]) from exc
    if not isinstance(entry, dict) or entry.get("key") != question_key:
        raise ItemInvalid([f"edited text: key: must stay {question_key!r}"])
    document = yaml.safe_dump({"name": bank, "questions": [entry]}, allow_unicode=True)
    try:
        _meta, questions = read_yaml(document, "edited text")
    except BankImportError as exc:
        raise ItemInvalid(exc.lines()) from exc
    return bank, questions[0]


def take_file(actor, key: str, text: str) -> None:
    bank, item = parse_question(key, text)
    import_questions(actor, bank, [item])


def save_text(actor, key: str, text: str) -> None:
    bank, item = parse_question(key, text)
    question = db.session.scalar(
        select(Question)
        .join(QuestionBank)
        .where(QuestionBank.name == bank, Question.key == item["key"])
    )
    if question is None:
        import_questions(actor, bank, [item])
    else:
        edit_question(actor, question, item)


def init_app(app: Flask) -> None:
    register_library_kind(
        app,
        LibraryKind(
            "question", _l("Questions"), file_versions, db_versions, take_file, save_text, 60
        ),
    )

"""A question's usage (practice / exam / both) and tags: imported, kept apart from versions,
exported only when they differ from the defaults."""

import pytest

from trainer.quizzes.bank_files import read_bank, write_bank
from trainer.quizzes.banks import export_questions, import_questions
from trainer.quizzes.models import Usage
from trainer.quizzes.questions import BankImportError

BANK = """
name: usage_demo
title: 用途演示
questions:
  - key: exam-only
    type: true_false
    category: first_inquiry
    usage: exam
    tags: [首问负责制, 岗前]
    text: 首问负责制下，可以让客户去找别的同事。
    answer: false
  - key: anywhere
    type: true_false
    category: first_inquiry
    text: 客户走到柜台前，应起身迎候。
    answer: true
"""


def load(text: str):
    meta, questions = read_bank(text, "yaml", "usage.yaml")
    return import_questions(None, meta["name"], questions, title=meta["title"])


def test_usage_and_tags_are_stored_and_default_to_both_and_none(db):
    summary = load(BANK)
    db.session.commit()
    by_key = {q.key: q for q in summary.bank.questions}
    assert by_key["exam-only"].usage is Usage.EXAM
    assert by_key["exam-only"].tags == ["岗前", "首问负责制"]
    assert by_key["anywhere"].usage is Usage.BOTH and by_key["anywhere"].tags == []


def test_changing_usage_or_tags_is_an_update_without_a_new_version(db):
    load(BANK)
    db.session.commit()
    summary = load(BANK.replace("usage: exam", "usage: practice").replace(", 岗前]", "]"))
    db.session.commit()
    question = next(q for q in summary.bank.questions if q.key == "exam-only")
    assert (summary.updated, summary.unchanged) == (1, 1)
    assert question.usage is Usage.PRACTICE and question.tags == ["首问负责制"]
    assert len(question.versions) == 1


def test_export_carries_usage_and_tags_and_reimports_unchanged(db):
    bank = load(BANK).bank
    db.session.commit()
    exported = write_bank({"name": bank.name, "title": bank.title}, export_questions(bank), "yaml")
    assert "usage: exam" in exported and "usage: both" not in exported
    assert load(exported).unchanged == 2


@pytest.mark.parametrize(
    "replacement, field",
    [("usage: exam", "usage: sometimes"), ("tags: [首问负责制, 岗前]", "tags: 首问负责制")],
)
def test_bad_usage_or_tags_name_the_field_and_line(db, replacement, field):
    with pytest.raises(BankImportError) as error:
        read_bank(BANK.replace(replacement, field), "yaml", "usage.yaml")
    assert error.value.lines()[0].startswith("usage.yaml:5: question exam-only: " + field[:4])

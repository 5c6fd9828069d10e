"""The four compliance banks (反诈, 个人信息保护, 投诉时限与申诉, 特殊客户服务, issue 19):
size, own categories, exam-only share, links, balanced options, and the quizzes that use them."""

import re
from collections import Counter

import pytest
import yaml
from sqlalchemy import select

from trainer import ROOT
from trainer.quizzes.bank_files import read_yaml
from trainer.quizzes.library import load_question_banks
from trainer.quizzes.models import Purpose, Quiz
from trainer.quizzes.question_types import BUILTIN_TYPES

BANKS = ("anti_fraud", "privacy", "complaint_deadlines", "special_customers")
ALL_OF_THE_ABOVE = re.compile(r"以上(都|全|均)(对|是|正确)|all of the above", re.IGNORECASE)


def questions(bank: str) -> list[dict]:
    path = ROOT / "question_banks" / f"{bank}.yaml"
    return read_yaml(path.read_text(encoding="utf-8"), str(path))[1]


def library_targets() -> set[str]:
    targets = set()
    for kind, field in (("procedures", "steps"), ("modules", "pages")):
        for path in (ROOT / "scripts_library" / kind).glob("*.yaml"):
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            targets |= {f"{doc['key']}.{item['key']}" for item in doc[field]}
    return targets


@pytest.mark.parametrize("bank", BANKS)
def test_each_bank_has_forty_questions_in_its_own_category(bank):
    found = questions(bank)
    assert len(found) >= 40
    assert {q["category"] for q in found} == {bank}


@pytest.mark.parametrize("bank", BANKS)
def test_at_least_half_of_each_bank_is_exam_only(bank):
    usages = Counter(q["usage"] for q in questions(bank))
    assert usages["exam"] * 2 >= sum(usages.values())


@pytest.mark.parametrize("bank", BANKS)
def test_every_question_links_to_a_step_or_page_of_its_own_module(bank):
    targets = library_targets()
    own = {"anti_fraud": "fraud_check", "privacy": "records_request"}
    own |= {"complaint_deadlines": "escalated_complaint", "special_customers": "assisted_service"}
    for question in questions(bank):
        assert question["link"] in targets, question["key"]
        assert question["link"].split(".")[0] in (bank, own[bank]), question["key"]


def test_the_four_banks_use_every_question_type():
    types = {q["type"] for bank in BANKS for q in questions(bank)}
    assert types == set(BUILTIN_TYPES) - {"roleplay"}


def test_no_all_of_the_above_options():
    for bank in BANKS:
        for question in questions(bank):
            texts = [c["text"] for c in question.get("choices", [])] + [question["text"]]
            assert not any(ALL_OF_THE_ABOVE.search(t) for t in texts), question["key"]


def test_the_right_option_is_rarely_the_longest_or_the_shortest():
    single = [q for bank in BANKS for q in questions(bank) if q["type"] == "single_choice"]
    longest = shortest = 0
    for question in single:
        lengths = [len(c["text"]) for c in question["choices"]]
        right = next(i for i, c in enumerate(question["choices"]) if c["fraction"] == 1)
        others = lengths[:right] + lengths[right + 1 :]
        longest += lengths[right] > max(others)
        shortest += lengths[right] < min(others)
    assert len(single) >= 40
    assert longest / len(single) < 0.35
    assert shortest / len(single) < 0.35


def test_essays_have_a_grading_guide_and_multiple_choice_penalises_wrong_picks():
    for bank in BANKS:
        for question in questions(bank):
            if question["type"] == "essay":
                assert len(question["rubric"]) >= 80, question["key"]
            if question["type"] == "multiple_choice":
                assert any(c["fraction"] < 0 for c in question["choices"]), question["key"]


def test_every_essay_is_used_by_a_quiz_and_exam_only_ones_never_by_practice():
    quizzes = yaml.safe_load((ROOT / "question_banks" / "quizzes.yaml").read_text("utf-8"))
    fixed = {
        rule["question"]: quiz["purpose"]
        for quiz in quizzes["quizzes"]
        for rule in quiz["rules"]
        if "question" in rule
    }
    for bank in BANKS:
        for question in questions(bank):
            if question["type"] != "essay":
                continue
            ref = f"{bank}/{question['key']}"
            assert ref in fixed, ref
            assert not (question["usage"] == "exam" and fixed[ref] == "practice"), ref


def test_each_bank_has_a_practice_quiz_and_feeds_the_exams(db, programme):
    load_question_banks()
    quizzes = db.session.scalars(select(Quiz)).all()

    def categories(quiz):
        return {rule.category for rule in quiz.rules}

    practice = set().union(*(categories(q) for q in quizzes if q.purpose is Purpose.PRACTICE))
    exams = set().union(
        *(categories(q) for q in quizzes if q.purpose in (Purpose.PRE_JOB, Purpose.FINAL))
    )
    assert set(BANKS) <= practice
    assert set(BANKS) <= exams


def test_typed_answers_are_text_not_yaml_numbers():
    """`answers: [12300]` loads as a number, which a browser cannot type back in."""
    for bank in BANKS:
        for question in questions(bank):
            if question["type"] == "short_answer":
                answers = [a["text"] if isinstance(a, dict) else a for a in question["answers"]]
            elif question["type"] == "cloze":
                answers = [
                    a["text"] if isinstance(a, dict) else a
                    for blank in question["blanks"]
                    for a in blank["answers"]
                ]
            else:
                continue
            assert all(isinstance(a, str) for a in answers), question["key"]

"""The banks of the hotline, plans-and-contracts, duty-manager and trainer-guide modules.

Read from question_banks/ with the importer's own reader, so a question that would not
import fails here too. Issue 19's bar: at least 40 questions a bank, at least half of them
exam-only, every question type, balanced options (the right answer is seldom the longest),
no "all of the above", every essay used by a quiz, and the categories drawn by the quizzes
they belong to.
"""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from trainer import ROOT
from trainer.quizzes.bank_files import read_yaml
from trainer.quizzes.question_types import BUILTIN_TYPES
from trainer.recognition.standings import composite

BANKS_DIR = ROOT / "question_banks"
BANKS = {
    # bank: (categories, what its links may point at)
    "hotline_etiquette": ({"hotline_etiquette"}, ("hotline_etiquette.", "hotline_call.")),
    "plans_contracts": ({"plans_contracts"}, ("plans_contracts.", "contract_change.")),
    "duty_manager": ({"duty_manager"}, ("duty_manager.", "duty_shift.")),
    "trainer_guides": (
        {"trainer_guides/coaching_talks", "trainer_guides/star_clerk"},
        ("coaching_talks.", "star_clerk."),
    ),
}
ALL_OF_THE_ABOVE = ("以上都对", "以上都是", "以上全对", "以上均正确", "以上皆是", "以上都正确")


def questions(bank: str) -> list[dict]:
    path = BANKS_DIR / f"{bank}.yaml"
    _meta, parsed = read_yaml(path.read_text(encoding="utf-8"), str(path))
    return parsed


def quizzes() -> list[dict]:
    return yaml.safe_load((BANKS_DIR / "quizzes.yaml").read_text(encoding="utf-8"))["quizzes"]


def quiz(key: str) -> dict:
    return next(q for q in quizzes() if q["key"] == key)


def key_length_cue(question: dict) -> str | None:
    """'longest' or 'shortest' when the key is strictly so among the options, else None."""
    right = max(question["choices"], key=lambda c: c["fraction"])
    others = [len(c["text"]) for c in question["choices"] if c is not right]
    if all(len(right["text"]) > n for n in others):
        return "longest"
    if all(len(right["text"]) < n for n in others):
        return "shortest"
    return None


@pytest.mark.parametrize("bank", BANKS)
def test_each_bank_has_forty_questions_half_of_them_exam_only(bank):
    parsed = questions(bank)
    assert len(parsed) >= 40
    usage = Counter(q["usage"] for q in parsed)
    assert usage["exam"] * 2 >= len(parsed), usage


@pytest.mark.parametrize("bank", BANKS)
def test_each_question_sits_in_its_category_and_links_to_its_module(bank):
    categories, link_prefixes = BANKS[bank]
    for question in questions(bank):
        assert question["category"] in categories, question["key"]
        assert question["link"].startswith(link_prefixes), question["key"]


def test_the_banks_use_every_question_type():
    used = Counter(q["type"] for bank in BANKS for q in questions(bank))
    assert set(used) == set(BUILTIN_TYPES) - {"roleplay"}, used


@pytest.mark.parametrize("bank", BANKS)
@pytest.mark.parametrize("cue", ["longest", "shortest"])
def test_the_right_option_is_seldom_the_longest_or_the_shortest(bank, cue):
    single = [q for q in questions(bank) if q["type"] == "single_choice"]
    cued = [q["key"] for q in single if key_length_cue(q) == cue]
    assert len(cued) < 0.35 * len(single), cued


@pytest.mark.parametrize("bank", BANKS)
def test_true_false_keys_go_both_ways(bank):
    keys = [q["answer"] for q in questions(bank) if q["type"] == "true_false"]
    assert 0.3 <= sum(keys) / len(keys) <= 0.7, f"{sum(keys)} of {len(keys)} keyed true"


@pytest.mark.parametrize("bank", BANKS)
def test_no_option_is_all_of_the_above(bank):
    for question in questions(bank):
        for choice in question.get("choices", []):
            assert not any(p in choice["text"] for p in ALL_OF_THE_ABOVE), question["key"]


@pytest.mark.parametrize("bank", BANKS)
def test_every_essay_is_used_by_a_quiz(bank):
    fixed = {rule["question"] for q in quizzes() for rule in q["rules"] if "question" in rule}
    for question in questions(bank):
        if question["type"] == "essay":
            assert f"{bank}/{question['key']}" in fixed, question["key"]


PRACTICE = {
    "practice-plans-contracts": ("plans_contracts", "plans_contracts"),
    "practice-hotline": ("hotline_etiquette", "hotline_etiquette"),
    "practice-duty-manager": ("duty_manager", "duty_manager"),
    "practice-coaching": ("trainer_guides", "trainer_guides/coaching_talks"),
    "practice-star-clerk": ("trainer_guides", "trainer_guides/star_clerk"),
}


@pytest.mark.parametrize("key", PRACTICE)
def test_each_module_has_a_practice_quiz_it_can_fill_without_exam_questions(key):
    bank, category = PRACTICE[key]
    spec = quiz(key)
    assert spec["purpose"] == "practice"
    drawn = [r for r in spec["rules"] if r.get("category") == category]
    assert drawn, spec["rules"]
    pool = [
        q
        for q in questions(bank)
        if q["category"] == category and q["usage"] != "exam" and q["type"] != "essay"
    ]
    assert sum(r["count"] for r in drawn) <= len(pool)


def test_the_exams_draw_the_trainee_modules_and_not_the_trainer_guides():
    def categories(key):
        return {r["category"] for r in quiz(key)["rules"] if "category" in r}

    assert {"plans_contracts", "hotline_etiquette"} <= categories("pre-job-exam")
    assert {"plans_contracts", "hotline_etiquette", "duty_manager"} <= categories("final-exam")
    for key in ("pre-job-exam", "final-exam"):
        assert not any(c.startswith("trainer_guides") for c in categories(key))
    # duty-manager practice is learnt during the internship: not asked before it
    assert "duty_manager" not in categories("pre-job-exam")


def test_numerical_answers_match_the_worked_examples():
    by_key = {q["key"]: q for q in questions("plans_contracts")}
    assert by_key["pk-penalty-calc"]["answers"][0]["value"] == 1200 * (24 - 10) / 24
    assert by_key["pk-penalty-calc-2"]["answers"][0]["value"] == 360 * (12 - 8) / 12
    guides = {q["key"]: q for q in questions("trainer_guides")}
    full = composite({"exam": 80, "drill": 70, "rating": 80, "clean": 50})
    assert guides["tg-composite-calc"]["answers"][0]["value"] == pytest.approx(full, abs=0.05)
    partial = composite({"exam": 90, "rating": 100})
    assert guides["tg-missing-calc"]["answers"][0]["value"] == pytest.approx(partial, abs=0.05)


def test_the_bank_files_are_listed_in_the_readme():
    readme = Path(BANKS_DIR / "README.md").read_text(encoding="utf-8")
    for bank in BANKS:
        assert f"`{bank}.yaml`" in readme, bank

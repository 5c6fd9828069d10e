"""The shipped question library is fit to certify window staff (issue 19) and keeps exam keys
out of practice (issue 13's exam integrity).

Everything is read from the shipped files — every question_banks/*.yaml through the project's
own bank reader, and quizzes.yaml — so the figures are those of the library as merged, with
every bank counted and nothing skipped.
"""

import re
from collections import Counter

import pytest
import yaml

from trainer.config import ROOT
from trainer.quizzes.bank_files import read_yaml
from trainer.quizzes.library import BANKS_DIR
from trainer.quizzes.question_types import BUILTIN_TYPES
from trainer.quizzes.quiz_setup import in_category, is_manual

PRE_JOB_TOPICS = (
    "procedures",
    "norms",
    "phrases",
    "forbidden_phrases",
    "conduct",
    "complaints",
    "first_inquiry",
)
GATING_PURPOSES = {"pre_job", "final", "refresher"}
MIN_TOTAL = 450
MIN_PER_BANK = 40
# With four options a key placed at random is the strictly longest one about a quarter of the
# time; at 35 % and above "pick the longest" (or "the shortest") pays off for a guesser.
MAX_LENGTH_CUE = 0.35
ALL_OF_THE_ABOVE = re.compile(
    r"(以上|上述|前述)[^，。；,;]{0,4}(都|均|皆|全)|^(以上|上述)|(all|none) of the above", re.I
)
# The built-in types; the roleplay type another feature registers is a scenario turn played
# inside a quiz and lives with the scenarios.
LIBRARY_TYPES = set(BUILTIN_TYPES)
AUTO_TYPES = LIBRARY_TYPES - {"essay"}


@pytest.fixture(scope="module")
def banks(app):
    """{bank name: [native question, …]} for every shipped bank file."""
    with app.app_context():  # some types (roleplay) look their scenario up while validating
        found = {}
        for path in sorted(BANKS_DIR.glob("*.yaml")):
            if path.name == "quizzes.yaml":
                continue
            meta, questions = read_yaml(path.read_text(encoding="utf-8"), str(path))
            found[meta.get("name") or path.stem] = questions
    return found


@pytest.fixture(scope="module")
def questions(banks):
    return [q for qs in banks.values() for q in qs]


@pytest.fixture(scope="module")
def by_ref(banks):
    return {f"{bank}/{q['key']}": q for bank, qs in banks.items() for q in qs}


@pytest.fixture(scope="module")
def quizzes():
    text = (BANKS_DIR / "quizzes.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["quizzes"]


def fixed_refs(quiz: dict) -> set[str]:
    return {r["question"] for r in quiz["rules"] if "question" in r}


def right_and_others(question: dict) -> tuple[str, list[str]]:
    choices = question["choices"]
    right = max(choices, key=lambda c: c["fraction"])
    return right["text"], [c["text"] for c in choices if c is not right]


def length_cues(questions: list[dict]) -> tuple[int, int, int]:
    """(single-choice items, key strictly longest, key strictly shortest)."""
    items = [right_and_others(q) for q in questions if q["type"] == "single_choice"]
    longest = sum(all(len(r) > len(o) for o in others) for r, others in items)
    shortest = sum(all(len(r) < len(o) for o in others) for r, others in items)
    return len(items), longest, shortest


# ---- size, types and usage ---------------------------------------------------------------


def test_the_library_holds_at_least_450_questions(questions, banks):
    sizes = {name: len(qs) for name, qs in banks.items()}
    assert len(questions) >= MIN_TOTAL, f"{len(questions)} questions in {sizes}"


def test_every_bank_holds_at_least_40_questions(banks):
    small = {name: len(qs) for name, qs in banks.items() if len(qs) < MIN_PER_BANK}
    assert not small


def test_every_pre_job_topic_has_at_least_40_questions(questions):
    per_topic = Counter(q["category"].split("/")[0] for q in questions)
    assert {t: per_topic[t] for t in PRE_JOB_TOPICS if per_topic[t] < MIN_PER_BANK} == {}


def test_every_question_type_is_in_the_library(questions):
    assert {q["type"] for q in questions} >= LIBRARY_TYPES


@pytest.mark.parametrize("bank", PRE_JOB_TOPICS)
def test_each_pre_job_bank_uses_every_automatically_graded_type(banks, bank):
    assert AUTO_TYPES - {q["type"] for q in banks[bank]} == set()


def test_at_least_half_of_the_library_is_exam_only(questions):
    exam = sum(q["usage"] == "exam" for q in questions)
    assert exam * 2 >= len(questions), f"{exam} of {len(questions)}"


@pytest.mark.parametrize("bank", PRE_JOB_TOPICS)
def test_at_least_half_of_each_pre_job_bank_is_exam_only(banks, bank):
    exam = sum(q["usage"] == "exam" for q in banks[bank])
    assert exam * 2 >= len(banks[bank]), f"{exam} of {len(banks[bank])}"


# ---- item quality ------------------------------------------------------------------------


def test_the_key_is_rarely_the_longest_or_the_shortest_option(banks, questions):
    report = {name: length_cues(qs) for name, qs in banks.items()} | {
        "(all)": length_cues(questions)
    }
    cued = {
        name: (n, longest, shortest)
        for name, (n, longest, shortest) in report.items()
        if n and max(longest, shortest) >= MAX_LENGTH_CUE * n
    }
    assert not cued, "(single-choice items, key longest, key shortest): " + repr(cued)


@pytest.mark.parametrize("usage", ["exam", "any"])
def test_true_false_keys_are_not_mostly_one_way(questions, usage):
    """Otherwise "always answer ✘" pays off for a guesser."""
    keys = [
        q["answer"] for q in questions if q["type"] == "true_false" and usage in ("any", q["usage"])
    ]
    assert 0.3 <= sum(keys) / len(keys) <= 0.7, f"{sum(keys)} of {len(keys)} keyed true"


def test_no_option_is_all_or_none_of_the_above(questions):
    offending = [
        (q["key"], c["text"])
        for q in questions
        for c in q.get("choices", [])
        if ALL_OF_THE_ABOVE.search(c["text"])
    ]
    assert not offending


def test_every_multiple_choice_item_has_a_wrong_option(questions):
    all_right = [
        q["key"]
        for q in questions
        if q["type"] == "multiple_choice" and all(c["fraction"] > 0 for c in q["choices"])
    ]
    assert not all_right


def test_no_two_questions_share_a_text(questions):
    repeated = [t for t, n in Counter(q["text"].strip() for q in questions).items() if n > 1]
    assert not repeated


def test_no_question_asks_about_the_seed_article(questions):
    """Trainees study the modules; they never read the article the product grew from."""
    assert [q["key"] for q in questions if "文章" in q["text"]] == []


def test_procedure_step_orderings_list_exactly_the_procedures_steps(banks):
    steps = {}
    for path in (ROOT / "scripts_library" / "procedures").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        steps[doc["key"]] = [s["title"] for s in doc["steps"]]
    orderings = [q for q in banks["procedures"] if q["type"] == "ordering" and "步骤" in q["text"]]
    assert orderings
    for question in orderings:
        procedure = question["category"].split("/")[1]
        assert question["items"] == steps[procedure], question["key"]


# ---- quizzes and exam integrity ----------------------------------------------------------


def test_every_essay_is_used_by_some_quiz(questions, by_ref, quizzes):
    used = set().union(*(fixed_refs(quiz) for quiz in quizzes))
    essays = {ref for ref, q in by_ref.items() if q["type"] == "essay"}
    assert essays - used == set()


def test_every_fixed_question_of_a_gating_exam_is_exam_only(by_ref, quizzes):
    for quiz in quizzes:
        if quiz["purpose"] in GATING_PURPOSES:
            not_exam = {ref for ref in fixed_refs(quiz) if by_ref[ref]["usage"] != "exam"}
            assert not_exam == set(), quiz["key"]


def test_gating_exams_draw_from_twice_as_many_exam_only_questions(questions, quizzes):
    for quiz in quizzes:
        if quiz["purpose"] not in GATING_PURPOSES:
            continue
        fixed = {ref.partition("/")[2] for ref in fixed_refs(quiz)}
        rules = [r for r in quiz["rules"] if "category" in r]
        for rule in rules:
            # rules on the same or nested categories compete for the same questions
            demand = sum(
                r["count"]
                for r in rules
                if in_category(r["category"], rule["category"])
                or in_category(rule["category"], r["category"])
            )
            pool = [
                q
                for q in questions
                if q["usage"] == "exam"
                and not is_manual(q["type"])
                and in_category(q["category"], rule["category"])
                and q["key"] not in fixed
            ]
            assert len(pool) >= 2 * demand, (quiz["key"], rule["category"], len(pool), demand)


def test_practice_quizzes_never_show_an_exam_only_question(by_ref, questions, quizzes):
    for quiz in quizzes:
        if quiz["purpose"] != "practice":
            continue
        assert {r for r in fixed_refs(quiz) if by_ref[r]["usage"] == "exam"} == set()
        for rule in (r for r in quiz["rules"] if "category" in r):
            pool = [
                q
                for q in questions
                if q["usage"] != "exam"
                and not is_manual(q["type"])
                and in_category(q["category"], rule["category"])
            ]
            assert len(pool) >= 2 * rule["count"], (quiz["key"], rule["category"], len(pool))


# ---- the fixes issue 19 lists, one by one -------------------------------------------------


def test_ch_handover_marks_no_acceptable_behaviour_wrong(by_ref):
    right, others = right_and_others(by_ref["procedures/ch-handover"])
    assert "当着客户" in right and "接手" in right
    assert not [o for o in others if "回到柜台" in o]


def test_sr_loss_first_keys_loss_reporting_only_when_no_replacement_is_possible(by_ref):
    question = by_ref["procedures/sr-loss-first"]
    right, _ = right_and_others(question)
    assert "无法当场补卡" in question["text"] and "挂失" in right
    on_the_spot = by_ref["procedures/sr-instant-invalid"]
    assert "当场补卡" in on_the_spot["text"] and on_the_spot["answer"] is True


def test_ch_order_has_the_eight_steps_the_module_teaches(by_ref):
    doc = yaml.safe_load(
        (ROOT / "scripts_library/procedures/complaint_handling.yaml").read_text(encoding="utf-8")
    )
    items = by_ref["procedures/ch-order"]["items"]
    assert len(items) == 8 and items == [s["title"] for s in doc["steps"]]


@pytest.mark.parametrize("ref", ["procedures/ac-check-bound", "procedures/ch-demand"])
def test_multiple_choice_items_the_issue_names_have_wrong_options(by_ref, ref):
    assert [c for c in by_ref[ref]["choices"] if c["fraction"] < 0]


@pytest.mark.parametrize(
    "ref, trivia",
    [
        ("procedures/fr-restart", "断电大约几分钟"),
        ("procedures/bp-explain-order", "哪种顺序"),
        ("procedures/pc-three-months", "近几个月"),
        ("procedures/pc-effective", "最主要的原因"),
        ("norms/no-early", "提前多少分钟"),
        ("conduct/co-badge", "佩戴在什么位置"),
    ],
    ids=lambda value: value if "/" in value else "",
)
def test_trivia_became_a_behaviour_question(by_ref, ref, trivia):
    question = by_ref[ref]
    assert question["type"] == "single_choice" and trivia not in question["text"]
    assert len(question["choices"]) >= 4


def test_fp_speak_up_asks_for_the_two_characters_of_the_librarys_alternative(by_ref):
    phrases = yaml.safe_load(
        (ROOT / "scripts_library/phrases/forbidden.yaml").read_text(encoding="utf-8")
    )["phrases"]
    alternative = next(p["alternative"] for p in phrases if p["key"] == "speak_up")
    question = by_ref["forbidden_phrases/fp-speak-up"]
    answers = {a["text"] for a in question["answers"]}
    assert "两个字" in question["text"] and "听清" in answers
    assert alternative in question["text"].replace("____", "听清")


def test_fp_full_width_which_tested_the_software_is_gone(by_ref):
    assert "forbidden_phrases/fp-full-width" not in by_ref


def test_fp_next_one_accepts_both_words_for_customer(by_ref):
    answers = {a["text"] for a in by_ref["forbidden_phrases/fp-next-one"]["answers"]}
    assert {"客户", "顾客"} <= answers


def test_fp_cloze_offers_no_polite_phrase_as_something_not_to_say(by_ref):
    phrases = yaml.safe_load(
        (ROOT / "scripts_library/phrases/forbidden.yaml").read_text(encoding="utf-8")
    )["phrases"]
    categories = {p["category"] for p in phrases}
    question = by_ref["forbidden_phrases/fp-cloze"]
    assert "不说" not in question["text"]
    for blank in question["blanks"]:
        if blank["dropdown"]:
            assert {a["text"] for a in blank["answers"]} <= categories


def test_cp_escalation_cause_no_longer_asks_what_the_article_says(by_ref):
    question = by_ref["complaints/cp-escalation-cause"]
    assert "文章" not in question["text"] and question["usage"] == "exam"


@pytest.mark.parametrize(
    "kept, removed",
    [
        ("first_inquiry/fi-follow-fault", ["procedures/fr-follow"]),
        ("procedures/sr-after-effects", ["procedures/sr-old-card-effect"]),
        ("procedures/ch-handover", ["complaints/cp-call-manager", "complaints/cp-no-repeat"]),
        ("procedures/ch-escalate", ["complaints/cp-sensitive"]),
        ("first_inquiry/fi-case-elderly", ["forbidden_phrases/fp-closing"]),
    ],
)
def test_one_question_of_each_near_duplicate_set_is_kept(by_ref, kept, removed):
    assert kept in by_ref and [r for r in removed if r in by_ref] == []


@pytest.mark.parametrize("ref", ["conduct/co-essay", "forbidden_phrases/fp-essay"])
def test_the_unused_essays_are_now_in_a_quiz(by_ref, quizzes, ref):
    assert ref in by_ref
    assert [q["key"] for q in quizzes if ref in fixed_refs(q)]

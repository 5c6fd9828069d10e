"""The `roleplay` question type in the quizzes' registry: one typed turn, graded like a drill."""

import pytest

from trainer.phrases.engine import PhraseMatcher, PhraseRule
from trainer.quizzes.bank_files import read_yaml
from trainer.quizzes.grading import grade_answer
from trainer.quizzes.question_types import get_question_type, grading_resources
from trainer.quizzes.questions import BankImportError
from trainer.roleplay.library_refs import SCENARIOS_DIR
from trainer.roleplay.question_type import RolePlayReply
from trainer.roleplay.scenario_format import parse_scenario

PAYLOAD = {"scenario": "complaint_overcharge_escalation", "turn": "t2"}


def graded(text: str):
    """As the quiz engine grades: resources gathered from the database, then pure grading."""
    return grade_answer("roleplay", PAYLOAD, text, grading_resources("roleplay", PAYLOAD))


@pytest.fixture
def kind(app):
    return get_question_type("roleplay")


def test_an_unknown_scenario_or_a_choice_turn_is_invalid(kind, db):
    assert kind.validate({"scenario": "nope", "turn": "t1"}) == [
        "scenario: unknown scenario 'nope'"
    ]
    assert kind.validate({**PAYLOAD, "turn": "t1"}) == [
        "turn: 't1' is not a typed-reply turn of complaint_overcharge_escalation"
    ]
    assert kind.validate(PAYLOAD) == []


def test_the_public_view_shows_the_customer_but_never_the_rubric(kind, db):
    view = kind.public_view(PAYLOAD, {})
    assert view["customer"] == "你查吧！我就想知道这三十块钱到底是什么！"
    assert "对不起" not in str(view) and "apologise" not in str(view)


def test_a_careless_reply_scores_zero_with_the_reasons(kind, loaded, phrases_in_db):
    grade = graded("这不归我管，你找领导去吧。")
    assert grade.fraction == 0.0
    assert "禁语「这不归我管」(0–5) → 这个问题我来负责，我带您过去。" in grade.feedback


def test_a_good_reply_earns_the_full_fraction(kind, loaded, phrases_in_db):
    grade = graded("对不起，这三十块钱我马上帮您查一下，请稍等。")
    assert grade.fraction == 1.0
    assert grade.feedback[0] == "✓ 致歉（2）"


def test_a_partial_reply_earns_its_share(kind, loaded, phrases_in_db):
    assert graded("请稍等，我帮您查一下。").fraction == pytest.approx(3 / 7)


def test_grading_is_pure_given_its_resources():
    """No app, no database: the turn and a matcher are handed in."""
    source = (SCENARIOS_DIR / "complaint_overcharge_escalation.yaml").read_text(encoding="utf-8")
    turn = parse_scenario(source, "complaint_overcharge_escalation.yaml").turns["t2"]
    matcher = PhraseMatcher(
        [PhraseRule(key="not_my_job", phrase="这不归我管", alternative="这个问题我来负责。")]
    )
    resources = {"turn": turn, "matcher": matcher}
    careless = RolePlayReply.grade_with(PAYLOAD, "这不归我管，你找领导去吧。", resources)
    good = RolePlayReply.grade_with(
        PAYLOAD, "对不起，这三十块钱我马上帮您查一下，请稍等。", resources
    )
    assert (careless.fraction, good.fraction) == (0.0, 1.0)
    assert "禁语「这不归我管」(0–5) → 这个问题我来负责。" in careless.feedback


def test_a_bank_file_can_hold_a_roleplay_question(app, db):
    text = """\
name: drills
title: 情景应答
category: complaints
questions:
  - key: complaint-first-words
    type: roleplay
    text: 请回应这位客户。
    points: 5
    scenario: complaint_overcharge_escalation
    turn: t2
"""
    _meta, questions = read_yaml(text, "drills.yaml")
    assert questions[0]["type"] == "roleplay"
    assert questions[0]["scenario"] == "complaint_overcharge_escalation"


def test_a_bank_file_naming_an_unknown_turn_is_refused(app, db):
    text = """\
name: drills
category: complaints
questions:
  - {key: q1, type: roleplay, text: 回应, scenario: complaint_overcharge_escalation, turn: t1}
"""
    with pytest.raises(BankImportError) as error:
        read_yaml(text, "drills.yaml")
    assert "is not a typed-reply turn" in str(error.value)

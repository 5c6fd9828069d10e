"""The question form editor: posted fields become a native question, with messages that name
the field in the trainer's language; stored questions fill the form and round-trip."""

import pytest
from flask_babel import force_locale

from tests.quizzes.conftest import QUESTIONS
from trainer.quizzes.question_editor import build_question, editor_model, form_can_edit, read_form
from trainer.quizzes.questions import normalise_question

COMMON = {"text": ["题干"], "category": ["norms"], "points": ["1"], "usage": ["both"]}


@pytest.fixture
def built(app):
    def build(locale: str, **fields):
        with app.test_request_context(), force_locale(locale):
            return build_question(read_form({**COMMON, **fields}))

    return build


def messages(result) -> list[str]:
    return [e.message for e in result.errors]


CASES = [
    # (fields, zh message, en message)
    (
        {"type": ["single_choice"], "choice-text": ["", ""], "choice-grade": ["100", "0"]},
        "选项：至少需要 2 个",
        "Choices: at least 2 are needed",
    ),
    (
        {
            "type": ["single_choice"],
            "choice-text": ["对", ""],
            "choice-grade": ["100", "0"],
            "choice-feedback": ["", "错的原因"],
        },
        "选项 2：请填写文字",
        "Choice 2: write the text",
    ),
    (
        {
            "type": ["multiple_choice"],
            "choice-text": ["甲", "乙", "丙"],
            "choice-grade": ["50", "30", "-100"],
        },
        "选项 2：正分值之和必须为 100%（当前为 80%）",
        "Choice 2: the positive grades must add up to 100% (now 80%)",
    ),
    (
        {"type": ["single_choice"], "choice-text": ["甲", "乙"], "choice-grade": ["50", "0"]},
        "选项：必须恰好有一个选项得 100%",
        "Choices: exactly one choice must be worth 100%",
    ),
    (
        {"type": ["numerical"], "number-value": ["5"], "number-tolerance": ["-1"]},
        "答案 1：误差不能为负数",
        "Answer 1: the tolerance cannot be negative",
    ),
    (
        {"type": ["matching"], "pair-left": ["不知道"], "pair-right": ["请稍等"]},
        "配对：至少需要 2 个",
        "Pairs: at least 2 are needed",
    ),
    (
        {
            "type": ["cloze"],
            "text": ["开户要核验身份证。"],
            "blank-kind": ["text"],
            "blank-correct": ["身份证"],
            "blank-weight": ["1"],
        },
        "题干：没有填空：请用 {1}、{2}… 标出每个空",
        "Question text: the text has no gap: mark each gap as {1}, {2}…",
    ),
    (
        {"type": ["short_answer"], "answer-text": [], "answer-grade": []},
        "可接受的答案：至少需要 1 个",
        "Accepted answers: at least 1 are needed",
    ),
    (
        {"type": ["ordering"], "item": ["实名核验"]},
        "排序项：至少需要 2 个",
        "Items: at least 2 are needed",
    ),
    (
        {"type": ["true_false"]},
        "正确答案：请选择“对”或“错”",
        "Correct answer: choose true or false",
    ),
    (
        {"type": ["essay"], "points": ["0"]},
        "分数：必须是正数",
        "Points: must be a positive number",
    ),
]


@pytest.mark.parametrize(("fields", "zh", "en"), CASES, ids=lambda c: str(c)[:30])
def test_invalid_forms_name_the_field_in_chinese(built, fields, zh, en):
    assert zh in messages(built("zh_CN", **fields))


@pytest.mark.parametrize(("fields", "zh", "en"), CASES, ids=lambda c: str(c)[:30])
def test_invalid_forms_name_the_field_in_english(built, fields, zh, en):
    assert en in messages(built("en", **fields))


def test_an_error_is_attached_to_the_row_at_fault(built):
    result = built(
        "en", type=["numerical"], **{"number-value": ["5", "x"], "number-tolerance": ["0", "0"]}
    )
    assert [e.field for e in result.errors] == ["numbers-2"]


def test_a_valid_multiple_choice_form_becomes_fractions(built):
    result = built(
        "zh_CN",
        type=["multiple_choice"],
        tags=["禁语， 首问"],
        **{
            "choice-text": ["甲", "乙", "丙"],
            "choice-grade": ["50", "50", "-100"],
            "choice-feedback": ["", "", "扣分"],
        },
    )
    assert result.errors == []
    assert [c["fraction"] for c in result.question["choices"]] == [0.5, 0.5, -1]
    assert result.question["tags"] == ["禁语", "首问"]


def test_blank_rows_left_by_the_trainer_are_ignored(built):
    result = built(
        "en",
        type=["single_choice"],
        **{"choice-text": ["对", "错", ""], "choice-grade": ["100", "0", "0"]},
    )
    assert len(result.question["choices"]) == 2


def test_a_cloze_form_defines_its_gaps(built):
    result = built(
        "en",
        type=["cloze"],
        text=["开户核验{1}原件，一证最多{2}个号。"],
        **{
            "blank-kind": ["dropdown", "numerical"],
            "blank-correct": ["身份证", "5"],
            "blank-wrong": ["驾驶证 | 工作证", ""],
            "blank-tolerance": ["", "0"],
            "blank-weight": ["1", "2"],
        },
    )
    assert result.errors == []
    first, second = result.question["blanks"]
    assert first["dropdown"] and [a["fraction"] for a in first["answers"]] == [1, 0, 0]
    assert second["numerical"] and second["weight"] == 2


@pytest.mark.parametrize("raw", QUESTIONS, ids=lambda q: q["key"])
def test_every_fixture_question_round_trips_through_the_form(app, raw):
    native = normalise_question(raw)
    with app.test_request_context():
        assert form_can_edit(native), editor_model(native)


def test_a_question_the_form_cannot_show_is_left_to_the_source(app):
    native = normalise_question(
        {
            "key": "n",
            "type": "numerical",
            "category": "x",
            "text": "几？",
            "answers": [{"value": 5}, {"other": True, "fraction": 0, "feedback": "不对"}],
        }
    )
    with app.test_request_context():
        assert not form_can_edit(native)

"""The GIFT importer and exporter: every syntax case, malformed input, round trip, fuzzing."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.quizzes.gift import parse_gift, read_gift
from trainer.quizzes.gift_export import to_gift
from trainer.quizzes.questions import BankImportError

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def questions():
    text = (DATA / "full_syntax.gift").read_text(encoding="utf-8")
    return {q["title"] or q["text"][:10]: q for q in parse_gift(text, "full_syntax.gift")}


def strip_lines(questions):
    return [{k: v for k, v in q.items() if k != "_line"} for q in questions]


def test_every_question_of_the_full_syntax_file_is_read(questions):
    assert len(questions) == 15


def test_single_choice_with_weights_feedback_and_markdown(questions):
    q = questions["禁语替换"]
    assert q["type"] == "single_choice" and q["format"] == "markdown"
    assert [c["fraction"] for c in q["choices"]] == [1, 0, 0.5, -0.5]
    assert q["choices"][0]["feedback"] == "正确：首问负责"
    assert q["general_feedback"] == "遇到不会的问题先稳住客户，再查询或求助。"
    assert q["category"] == "forbidden_phrases"


def test_multiple_choice_from_weights_without_equals(questions):
    assert questions["多选"]["type"] == "multiple_choice"
    assert [c["fraction"] for c in questions["多选"]["choices"]] == [0.5, 0.5, -1]


def test_short_answer_from_equals_only(questions):
    q = questions["简答"]
    assert q["type"] == "short_answer"
    assert [(a["text"], a["fraction"]) for a in q["answers"]] == [
        ("身份证", 1),
        ("居民身份证", 1),
        ("证件", 0.5),
    ]


def test_true_false_with_feedback_for_wrong_and_right(questions):
    q = questions["判断"]
    assert (q["type"], q["answer"]) == ("true_false", False)
    assert q["feedback_true"] == "错：这是禁语" and q["feedback_false"] == "对"
    assert questions["判断2"]["answer"] is True


def test_category_changes_with_a_new_category_line(questions):
    assert questions["数值"]["category"] == "procedures/sim_replacement"


def test_numerical_tolerance_range_and_several_answers(questions):
    assert questions["数值"]["answers"][0] | {} == {
        "value": 2,
        "tolerance": 0.5,
        "fraction": 1,
        "feedback": "",
    }
    assert (questions["区间"]["answers"][0]["min"], questions["区间"]["answers"][0]["max"]) == (
        2,
        4,
    )
    *several, other = questions["多答案数值"]["answers"]
    assert [(a["value"], a["tolerance"], a["fraction"]) for a in several] == [
        (10, 0, 1),
        (10, 1, 0.5),
    ]
    assert several[1]["feedback"] == "接近了"
    assert other == {"other": True, "fraction": 0, "feedback": "不对"}


def test_matching_with_a_distractor_and_a_link(questions):
    q = questions["配对"]
    assert q["type"] == "matching" and len(q["pairs"]) == 3
    assert q["distractors"] == ["您去问别人吧"]
    assert q["link"] == "complaint_handling.apologise"


def test_essay_with_rubric(questions):
    assert questions["论述"]["type"] == "essay"
    assert questions["论述"]["rubric"].startswith("要点")


def test_missing_words_make_a_cloze(questions):
    q = questions["完形"]
    assert q["type"] == "cloze" and q["text"] == "办理补卡须核验{1}并确认{2}后写卡。"
    assert q["blanks"][0]["dropdown"] is False and q["blanks"][1]["dropdown"] is True


def test_escapes(questions):
    q = questions["转义"]
    assert q["text"] == "符号 { } = ~ # : 都是普通字符吗？"
    assert q["choices"][0]["text"] == "是的: 都是"


def test_ordering_extension_and_points(questions):
    q = questions["排序"]
    assert q["type"] == "ordering" and q["items"][0] == "实名核验" and q["points"] == 2


def test_multi_line_question(questions):
    assert questions["多行"]["text"] == "这是一道\n多行的题目，\n第三行。"
    assert questions["多行"]["general_feedback"] == "多行题干也可以"


def test_html_format_without_title(questions):
    q = next(q for q in questions.values() if q["format"] == "html")
    assert q["text"] == "<p>没有标题的 <b>HTML</b> 题</p>"


def test_round_trip_preserves_every_question():
    text = (DATA / "full_syntax.gift").read_text(encoding="utf-8")
    first = parse_gift(text)
    again = parse_gift(to_gift(first))
    assert strip_lines(again) == strip_lines(first)


MALFORMED_ERRORS = [
    (2, "unclosed '{'"),
    (4, "bad weight '%abc%'"),
    (6, "bad weight '%150%'"),
    (8, "full-width '＝' where a GIFT marker is expected"),
    (10, "bad number '十'"),
    (12, "unmatched '}'"),
    (14, "'{' inside an answer block"),
    (16, "full-width '｛'"),
    (18, "'~' starts Moodle's \"any other answer\""),
]


def test_malformed_file_lists_every_error_with_its_line():
    text = (DATA / "malformed.gift").read_text(encoding="utf-8")
    with pytest.raises(BankImportError) as caught:
        parse_gift(text, "malformed.gift")
    lines = caught.value.lines()
    assert len(lines) == len(MALFORMED_ERRORS)
    for line, (number, message) in zip(lines, MALFORMED_ERRORS, strict=True):
        assert line.startswith(f"malformed.gift:{number}: ") and message in line


def test_error_inside_a_multi_line_question_names_the_line_of_the_problem():
    text = "::a::题目\n{=对\n~%x%错\n}"
    with pytest.raises(BankImportError) as caught:
        parse_gift(text, "f.gift")
    assert caught.value.lines() == ["f.gift:3: bad weight '%x%': not a number (column 2)"]


def test_duplicate_chosen_keys_are_an_error():
    text = "// @key k1\n问{=是}\n\n// @key k1\n再问{=是}"
    with pytest.raises(BankImportError, match="f.gift:5: duplicate question key 'k1'"):
        parse_gift(text, "f.gift")


def test_validation_errors_carry_the_question_line():
    text = "\n\n::mc::{~%50%甲 ~%20%乙}"  # weights do not add up; no text
    with pytest.raises(BankImportError) as caught:
        parse_gift(text, "f.gift")
    assert all(line.startswith("f.gift:3: ") for line in caught.value.lines())


GIFT_ALPHABET = st.sampled_from(
    list("{}=~#:%->\\/\n $[]TF0123456789.abc甲乙丙") + ["//", "::", "####", "$CATEGORY:", "\n\n"]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(GIFT_ALPHABET, max_size=60).map("".join))
def test_fuzz_never_crashes_with_anything_but_a_clean_error(text):
    try:
        questions = parse_gift(text, "fuzz.gift")
    except BankImportError as exc:
        assert exc.errors and all(line.startswith("fuzz.gift:") for line in exc.lines())
        return
    # what parses exports and parses back to the same questions
    assert strip_lines(parse_gift(to_gift(questions))) == strip_lines(questions)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_arbitrary_unicode(text):
    try:
        parse_gift(text, "fuzz.gift")
    except BankImportError as exc:
        assert all(line.startswith("fuzz.gift:") for line in exc.lines())


@pytest.mark.locale("zh_CN")
def test_errors_read_in_chinese_by_default_with_their_line_and_column(app):
    with pytest.raises(BankImportError) as caught:
        parse_gift("\n首问负责制要求负责到底吗？{＝对 ～错}", "f.gift")
    assert caught.value.lines() == [
        "f.gift:2: 此处应为 GIFT 标记，却是全角 '＝'：GIFT 标记必须是半角字符（请改用 '='）"
        "（第 15 列）"
    ]


def test_a_description_is_skipped_with_a_warning_naming_its_line():
    result = read_gift("::说明::以下题目请结合服务规范作答。\n\n问候要用“您”吗？{T}", "f.gift")
    assert len(result.questions) == 1
    assert [w.in_file("f.gift") for w in result.warnings] == [
        "f.gift:1: description (text without an answer block) skipped: "
        "::说明::以下题目请结合服务规范作答。"
    ]


def test_moodle_id_and_tags_become_key_and_tags_and_are_written_back():
    text = "// [id:fp-1] [tag:禁语] [tag:推诿]\n::禁语::可以说“不归我管”吗？{F}\n"
    [question] = parse_gift(text)
    assert (question["key"], question["tags"], question["title"]) == (
        "fp-1",
        ["禁语", "推诿"],
        "禁语",
    )
    assert "// [id:fp-1] [tag:禁语] [tag:推诿]\n::禁语::" in to_gift([question])

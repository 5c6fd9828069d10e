"""Grading of every question type, pure (no Flask, no database)."""

import random

import pytest

from trainer import create_app
from trainer.quizzes.grading import combined_grade, grade_answer, is_pass
from trainer.quizzes.models import GradingMethod
from trainer.quizzes.normalise import normalise_answer, parse_number
from trainer.quizzes.question_types import (
    BUILTIN_TYPES,
    Grade,
    QuestionType,
    get_question_type,
    grading_resources,
    question_types,
    register_question_type,
)

SINGLE = {
    "choices": [
        {"text": "请稍等，我帮您查询一下", "fraction": 1, "feedback": "对"},
        {"text": "不知道", "fraction": 0, "feedback": "禁语"},
        {"text": "我帮您问问", "fraction": 0.5},
        {"text": "自己看", "fraction": -0.5},
    ]
}
MULTI = {
    "choices": [
        {"text": "您好", "fraction": 0.5},
        {"text": "请稍等", "fraction": 0.5},
        {"text": "急什么", "fraction": -1},
        {"text": "快点", "fraction": -0.5},
    ]
}


def grade(qtype, payload, answer) -> float | None:
    return grade_answer(qtype, payload, answer).fraction


class TestSingleChoice:
    def test_right_choice_scores_full(self):
        assert grade("single_choice", SINGLE, 0) == 1

    def test_wrong_choice_scores_zero(self):
        assert grade("single_choice", SINGLE, 1) == 0

    def test_partial_choice_scores_its_fraction(self):
        assert grade("single_choice", SINGLE, 2) == 0.5

    def test_negative_choice_never_scores_below_zero(self):
        assert grade("single_choice", SINGLE, 3) == 0

    @pytest.mark.parametrize("answer", [None, 9, -1, "0", [0], True])
    def test_malformed_answer_scores_zero(self, answer):
        assert grade("single_choice", SINGLE, answer) == 0

    def test_feedback_of_the_picked_choice(self):
        assert grade_answer("single_choice", SINGLE, 1).feedback == ["禁语"]

    def test_needs_exactly_one_full_credit_choice(self):
        bad = {"choices": [{"text": "a", "fraction": 0.5}, {"text": "b", "fraction": 0}]}
        assert get_question_type("single_choice").validate(bad)


class TestMultipleChoice:
    def test_all_right_choices_score_full(self):
        assert grade("multiple_choice", MULTI, [0, 1]) == 1

    def test_half_the_right_choices_score_half(self):
        assert grade("multiple_choice", MULTI, [1]) == 0.5

    def test_a_wrong_pick_costs_its_negative_weight(self):
        assert grade("multiple_choice", MULTI, [0, 1, 3]) == 0.5

    def test_picking_everything_does_not_pay(self):
        assert grade("multiple_choice", MULTI, [0, 1, 2, 3]) == 0

    def test_total_never_below_zero(self):
        assert grade("multiple_choice", MULTI, [2, 3]) == 0

    def test_duplicate_picks_count_once(self):
        assert grade("multiple_choice", MULTI, [0, 0, 0]) == 0.5

    def test_nothing_picked_scores_zero(self):
        assert grade("multiple_choice", MULTI, None) == 0

    def test_positive_weights_must_add_up_to_one(self):
        bad = {"choices": [{"text": "a", "fraction": 0.5}, {"text": "b", "fraction": 0.3}]}
        assert "add up to 1" in get_question_type("multiple_choice").validate(bad)[0]

    def test_weights_outside_minus_one_to_one_are_rejected(self):
        bad = {"choices": [{"text": "a", "fraction": 1.5}, {"text": "b", "fraction": 0}]}
        assert "outside" in get_question_type("multiple_choice").validate(bad)[0]


class TestTrueFalse:
    def test_right(self):
        assert grade("true_false", {"answer": False}, False) == 1

    def test_wrong(self):
        assert grade("true_false", {"answer": False}, True) == 0

    def test_blank(self):
        assert grade("true_false", {"answer": True}, None) == 0

    def test_feedback_for_the_answer_given(self):
        payload = {"answer": False, "feedback_true": "这是禁语", "feedback_false": "对"}
        assert grade_answer("true_false", payload, True).feedback == ["这是禁语"]


SHORT = {
    "answers": [
        {"text": "身份证", "fraction": 1},
        {"text": "居民身份证", "fraction": 1},
        {"text": "证件", "fraction": 0.5},
        {"text": "ID Card", "fraction": 1},
    ]
}


class TestShortAnswer:
    @pytest.mark.parametrize(
        "typed",
        [
            "身份证",
            " 身份证 ",
            "身 份 证",
            "身\u3000份证",
            "居民身份证",
            "id card",
            "ＩＤ　ＣＡＲＤ",
            "IdCard",
            "身\u200b份证",
        ],
    )
    def test_accepted_after_normalisation(self, typed):
        assert grade("short_answer", SHORT, typed) == 1

    def test_partial_answer_gets_its_fraction(self):
        assert grade("short_answer", SHORT, "证件") == 0.5

    @pytest.mark.parametrize("typed", ["户口本", "", "   ", None, 3, "身份证号"])
    def test_other_answers_score_zero(self, typed):
        assert grade("short_answer", SHORT, typed) == 0

    def test_best_of_several_matches(self):
        payload = {"answers": [{"text": "ＡＢ", "fraction": 0.5}, {"text": "ab", "fraction": 1}]}
        assert grade("short_answer", payload, "AB") == 1


class TestNumerical:
    PAYLOAD = {
        "answers": [
            {"value": 3, "tolerance": 0.5, "fraction": 1},
            {"value": 3, "tolerance": 1, "fraction": 0.5},
        ]
    }

    @pytest.mark.parametrize("typed", ["3", "2.5", "3.5", "３.５", " 3 ", "3,5", "3e0"])
    def test_inside_tolerance_bounds_included(self, typed):
        assert grade("numerical", self.PAYLOAD, typed) == 1

    @pytest.mark.parametrize("typed", ["2.49", "3.51", "4", "2"])
    def test_outside_first_tolerance_but_inside_second(self, typed):
        assert grade("numerical", self.PAYLOAD, typed) == 0.5

    @pytest.mark.parametrize("typed", ["4.01", "1.99", "abc", "", None, "nan", "inf"])
    def test_outside_everything(self, typed):
        assert grade("numerical", self.PAYLOAD, typed) == 0

    def test_range_includes_both_ends(self):
        payload = {"answers": [{"min": 1, "max": 5, "fraction": 1}]}
        assert [grade("numerical", payload, t) for t in ("1", "5", "0.999", "5.001")] == [
            1,
            1,
            0,
            0,
        ]

    def test_floating_point_edge_is_inside(self):
        payload = {"answers": [{"value": 0.3, "tolerance": 0.1, "fraction": 1}]}
        assert grade("numerical", payload, "0.4") == 1

    def test_range_min_above_max_is_rejected(self):
        bad = {"answers": [{"min": 5, "max": 1}]}
        assert get_question_type("numerical").validate(bad)


MATCHING = {
    "pairs": [
        {"left": "不知道", "right": "请稍等，我帮您查询一下"},
        {"left": "快点", "right": "请您稍候"},
        {"left": "急什么", "right": "请您稍候"},
    ],
    "distractors": ["您自己看吧"],
}


class TestMatching:
    def test_all_pairs_right(self):
        assert grade("matching", MATCHING, {"0": 0, "1": 1, "2": 1}) == 1

    def test_credit_per_pair(self):
        assert grade("matching", MATCHING, {"0": 0, "1": 2, "2": 2}) == pytest.approx(1 / 3)

    def test_blank(self):
        assert grade("matching", MATCHING, None) == 0

    def test_layout_positions_map_back_to_options(self):
        kind = get_question_type("matching")
        layout = kind.make_layout(MATCHING, random.Random(1))
        view = kind.public_view(MATCHING, layout)
        by_text = {o["text"]: o["id"] for o in view["options"]}
        fields = {
            str(left["id"]): [
                str(by_text[{"不知道": "请稍等，我帮您查询一下"}.get(left["text"], "请您稍候")])
            ]
            for left in view["lefts"]
        }
        answer = kind.parse_answer(MATCHING, layout, fields)
        assert kind.grade(MATCHING, answer).fraction == 1


class TestOrdering:
    PAYLOAD = {"items": ["核验证件", "选号选套餐", "签署协议", "写卡激活"]}

    def test_right_order(self):
        assert grade("ordering", self.PAYLOAD, {"0": 1, "1": 2, "2": 3, "3": 4}) == 1

    def test_credit_per_item_in_place(self):
        assert grade("ordering", self.PAYLOAD, {"0": 1, "1": 3, "2": 2, "3": 4}) == 0.5

    def test_layout_is_never_the_answer(self):
        kind = get_question_type("ordering")
        for seed in range(20):
            assert kind.make_layout(self.PAYLOAD, random.Random(seed))["order"] != [0, 1, 2, 3]


CLOZE = {
    "blanks": [
        {"answers": [{"text": "身份证原件", "fraction": 1}], "dropdown": False},
        {
            "answers": [{"text": "服务密码", "fraction": 1}, {"text": "密码", "fraction": 0}],
            "dropdown": True,
        },
    ]
}


class TestCloze:
    def test_all_blanks_right(self):
        assert grade("cloze", CLOZE, ["身份证原件", "服务密码"]) == 1

    def test_credit_per_blank(self):
        assert grade("cloze", CLOZE, ["身份证 原件", "密码"]) == 0.5

    def test_blank_answer(self):
        assert grade("cloze", CLOZE, None) == 0

    def test_text_must_hold_every_blank(self):
        assert get_question_type("cloze").validate_text("只有{1}", CLOZE)


class TestEssay:
    def test_essay_waits_for_a_trainer(self):
        assert grade_answer("essay", {"rubric": "致歉、倾听"}, "……").manual


class TestRegistry:
    def test_every_builtin_type_is_registered(self):
        assert {
            "single_choice",
            "multiple_choice",
            "true_false",
            "short_answer",
            "numerical",
            "matching",
            "ordering",
            "cloze",
            "essay",
        } <= set(BUILTIN_TYPES)

    def test_another_feature_can_register_a_type_on_its_app_only(self):
        class Echo(QuestionType):
            name = "test_echo"
            label = "Echo"

            @classmethod
            def grade(cls, payload, answer):
                return Grade(1.0 if answer == payload["word"] else 0.0)

        app, other = create_app({"TESTING": True}), create_app({"TESTING": True})
        register_question_type(app, Echo)
        with app.app_context():
            assert grade("test_echo", {"word": "您好"}, "您好") == 1
        with other.app_context():
            assert "test_echo" not in question_types()
        assert "test_echo" not in BUILTIN_TYPES

    def test_a_type_gets_the_resources_its_provider_gathers(self):
        class Lookup(QuestionType):
            name = "test_lookup"
            label = "Lookup"

            @classmethod
            def grade_with(cls, payload, answer, resources):
                return Grade(1.0 if answer == resources["key"] else 0.0)

        app = create_app({"TESTING": True})
        register_question_type(app, Lookup, resources=lambda payload: {"key": payload["id"] * 2})
        with app.app_context():
            resources = grading_resources("test_lookup", {"id": 21})
            assert grade_answer("test_lookup", {"id": 21}, 42, resources).fraction == 1


class TestPublicView:
    """What reaches the browser: never a fraction, feedback or accepted answer."""

    @pytest.mark.parametrize(
        "qtype,payload",
        [
            ("single_choice", SINGLE),
            ("multiple_choice", MULTI),
            ("matching", MATCHING),
            ("cloze", CLOZE),
        ],
    )
    def test_public_view_has_no_weights_or_feedback(self, qtype, payload):
        kind = get_question_type(qtype)
        view = repr(kind.public_view(payload, kind.make_layout(payload, random.Random(3))))
        assert "fraction" not in view and "feedback" not in view and "禁语" not in view

    def test_short_answer_view_has_no_accepted_answers(self):
        kind = get_question_type("short_answer")
        assert kind.public_view(SHORT, kind.make_layout(SHORT, None)) == {}

    def test_choice_ids_are_display_positions(self):
        kind = get_question_type("single_choice")
        layout = {"order": [2, 0, 3, 1]}
        assert kind.parse_answer(SINGLE, layout, {"": ["1"]}) == 0
        assert kind.form_values(SINGLE, layout, 0) == {"": ["1"]}


class TestNormalisation:
    def test_full_width_letters_digits_and_spaces(self):
        assert normalise_answer("ＡＢＣ　１２３") == "abc123"

    def test_zero_width_characters_are_ignored(self):
        assert normalise_answer("不\u200b知道") == "不知道"

    def test_numbers_in_full_width(self):
        assert parse_number("１０") == 10


class TestCombinedGrade:
    def test_highest_keeps_a_pass_after_a_worse_attempt(self):
        assert is_pass(combined_grade(GradingMethod.HIGHEST, [85, 40]), 80)

    def test_last_uses_the_last_attempt(self):
        assert combined_grade(GradingMethod.LAST, [85, 40]) == 40

    def test_first_uses_the_first_attempt(self):
        assert combined_grade(GradingMethod.FIRST, [40, 85]) == 40

    def test_average(self):
        assert combined_grade(GradingMethod.AVERAGE, [40, 80]) == 60

    def test_no_attempts(self):
        assert combined_grade(GradingMethod.HIGHEST, []) is None

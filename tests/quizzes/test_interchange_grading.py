"""Grading what Moodle questions bring: wildcards and case in short answers, "any other
answer" and units in numerical questions, number, weighted and tick-box blanks in clozes."""

import pytest

from trainer.quizzes.grading import grade_answer


def short(answers, **options):
    return {"answers": answers, **options}


@pytest.mark.parametrize(
    ("typed", "fraction", "feedback"),
    [
        ("Frog", 1.0, ["Good!"]),
        ("frog", 1.0, ["Good!"]),
        ("Cat", 0.5, []),
        ("dog", 0.0, ["Completely wrong"]),
    ],
)
def test_a_lone_star_catches_every_other_answer(typed, fraction, feedback):
    payload = short(
        [
            {"text": "Frog", "fraction": 1, "feedback": "Good!"},
            {"text": "Cat", "fraction": 0.5},
            {"text": "*", "fraction": 0, "feedback": "Completely wrong"},
        ]
    )
    grade = grade_answer("short_answer", payload, typed)
    assert (grade.fraction, grade.feedback) == (fraction, feedback)


def test_a_star_inside_an_answer_matches_any_characters():
    payload = short([{"text": "居民*证", "fraction": 1}])
    assert grade_answer("short_answer", payload, "居民身份证").fraction == 1
    assert grade_answer("short_answer", payload, "居民证").fraction == 1
    assert grade_answer("short_answer", payload, "身份证").fraction == 0


def test_an_escaped_star_is_a_star():
    payload = short([{"text": "5\\*3", "fraction": 1}])
    assert grade_answer("short_answer", payload, "5*3").fraction == 1
    assert grade_answer("short_answer", payload, "5x3").fraction == 0


def test_an_exact_answer_beats_an_earlier_pattern():
    payload = short([{"text": "Par*", "fraction": 0.5}, {"text": "Paris", "fraction": 1}])
    assert grade_answer("short_answer", payload, "paris").fraction == 1


def test_case_counts_only_when_the_question_says_so():
    answers = [{"text": "SIM", "fraction": 1}]
    assert grade_answer("short_answer", short(answers), "sim").fraction == 1
    assert grade_answer("short_answer", short(answers, case_sensitive=True), "sim").fraction == 0
    assert grade_answer("short_answer", short(answers, case_sensitive=True), "ＳＩＭ").fraction == 1


NUMERICAL = {
    "answers": [
        {"value": 3, "tolerance": 0.5, "fraction": 1},
        {"other": True, "fraction": 0, "feedback": "完全错误"},
    ]
}


def test_any_other_number_gets_its_feedback():
    assert grade_answer("numerical", NUMERICAL, "3.4").fraction == 1
    grade = grade_answer("numerical", NUMERICAL, "9")
    assert (grade.fraction, grade.feedback) == (0, ["完全错误"])


UNITS = [{"name": "m", "multiplier": 1}, {"name": "cm", "multiplier": 100}]


@pytest.mark.parametrize(
    ("grading", "typed", "fraction"),
    [
        (0, "300 cm", 1.0),
        (0, "3", 1.0),
        (0, "350 cm", 0.0),
        (1, "3 m", 1.0),
        (1, "3", 0.8),
        (2, "3 parsecs", 0.8),
    ],
)
def test_units_convert_and_a_missing_unit_costs_the_penalty(grading, typed, fraction):
    payload = {
        "answers": [{"value": 3, "tolerance": 0, "fraction": 1}],
        "units": UNITS,
        "unit_grading": grading,
        "unit_penalty": 0.2,
    }
    assert grade_answer("numerical", payload, typed).fraction == pytest.approx(fraction)


def test_cloze_blanks_take_numbers_weights_and_ticked_boxes():
    payload = {
        "blanks": [
            {"answers": [{"text": "身份证", "fraction": 1}], "weight": 2},
            {"numerical": True, "answers": [{"value": 2, "tolerance": 0, "fraction": 1}]},
            {
                "multiple": True,
                "answers": [
                    {"text": "您好", "fraction": 0.5},
                    {"text": "请稍等", "fraction": 0.5},
                    {"text": "急什么", "fraction": -1},
                ],
            },
        ]
    }
    assert grade_answer("cloze", payload, ["身份证", "2", ["您好", "请稍等"]]).fraction == 1
    assert grade_answer("cloze", payload, ["身份证", "3", ["您好", "急什么"]]).fraction == 0.5
    assert grade_answer("cloze", payload, ["", "２", ["您好"]]).fraction == pytest.approx(1.5 / 4)

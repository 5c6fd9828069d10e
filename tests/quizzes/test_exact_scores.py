"""Exact marks (issue 13): computed in decimals and compared unrounded, so 79.996 % fails an
80 % mark and 80 % passes it; pages round down for display."""

import pytest
from sqlalchemy import Float, Numeric, inspect, text

from trainer.quizzes.demo import model_answer
from trainer.quizzes.grading import (
    combined_grade,
    is_pass,
    mark,
    percent,
    score_passes,
    shown_percent,
)
from trainer.quizzes.models import GradingMethod, Purpose
from trainer.quizzes.services import load_responses, start_attempt, submit_attempt


@pytest.mark.parametrize(
    "score, max_score, passes",
    [(79.996, 100, False), (80, 100, True), (4, 5, True), (3.9999, 5, False), (0.8, 1, True)],
)
def test_the_pass_check_is_unrounded(score, max_score, passes):
    assert score_passes(score, max_score, 80) is passes
    assert is_pass(percent(score, max_score), 80) is passes


def test_thirds_add_up_exactly():
    third = mark(0.3333333, 3)
    assert third == mark(1, 0.9999999) and 3 * third == mark(2.9999997, 1)


def test_an_average_grade_just_under_the_mark_fails():
    grade = combined_grade(GradingMethod.AVERAGE, [79.99, 80.002])
    assert grade == pytest.approx(79.996) and not is_pass(grade, 80)


@pytest.mark.parametrize(
    "value, shown", [(79.996, "79.99"), (80.0, "80"), (66.66666666666667, "66.66"), (100, "100")]
)
def test_percentages_are_shown_rounded_down(value, shown):
    assert shown_percent(value) == shown


def test_two_of_three_fails_a_mark_a_rounded_percentage_would_reach(
    db, make_quiz, trainee_in_training
):
    # two right of three one-point questions: 66.666…%, which rounded to 66.67 used to pass
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf", "num"], pass_percent=66.667)
    attempt = start_attempt(trainee_in_training.user, quiz)
    for response in load_responses(attempt):
        if response.version.type != "single_choice":
            version = response.version
            response.answer = {"value": model_answer(version.type, version.payload)}
    submit_attempt(attempt, trainee_in_training.user)
    db.session.commit()
    assert attempt.score == 2 and attempt.passed is False
    assert shown_percent(attempt.percent) == "66.66"


def test_marks_are_stored_as_exact_decimals(db, make_quiz, trainee_in_training):
    columns = {c["name"]: c["type"] for c in inspect(db.engine).get_columns("response")}
    assert isinstance(columns["score"], Numeric) and not isinstance(columns["score"], Float)
    # a tenth and a fifth: as binary floats their sum is 0.30000000000000004
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf"])
    attempt = start_attempt(trainee_in_training.user, quiz)
    first, second = load_responses(attempt)
    first.score, second.score = 0.1, 0.2
    db.session.commit()
    total = db.session.execute(
        text("SELECT CAST(SUM(score) AS TEXT) FROM response WHERE attempt_id = :id"),
        {"id": attempt.id},
    ).scalar_one()
    if db.engine.dialect.name == "postgresql":  # SQLite has no decimal type: REAL, as before
        assert total == "0.3"
    db.session.expire_all()
    assert sorted(r.score for r in load_responses(attempt)) == [0.1, 0.2]

"""Item analysis loaded from the database, the CLI contract and per-answer frequencies."""

import json

import numpy as np
import pytest

from trainer.permissions import Role
from trainer.reports.item_analysis import analyse
from trainer.reports.quiz_facts import analyse_quiz

QUESTIONS = [
    ("q1", "complaints", "complaint_handling.apologise", 1.0),
    ("q2", "forbidden_phrases", None, 1.0),
    ("q3", "procedures", "open_account.verify_identity", 2.0),
]
# fractions per trainee and question: a Guttman-like pattern plus one missing question
MARKS = [[1, 1, 1], [1, 1, 0], [1, 0, 0.5], [0, 0, 0], [1, None, 1]]


@pytest.fixture
def graded_quiz(make_quiz, make_attempt, make_user):
    quiz = make_quiz(QUESTIONS, title="岗前考试")
    for marks in MARKS:
        make_attempt(make_user(), quiz, marks)
    return quiz


def test_analysis_from_the_database_matches_the_matrix_it_came_from(graded_quiz):
    points = np.array([q[3] for q in QUESTIONS])
    matrix = np.array([[np.nan if m is None else m for m in row] for row in MARKS]) * points
    expected = analyse(matrix, points)

    report = analyse_quiz(graded_quiz)

    assert [q.label for q in report.questions] == ["q1题", "q2题", "q3题"]
    assert [i.n for i in report.analysis.items] == [5, 4, 5]
    for got, want in zip(report.analysis.items, expected.items, strict=True):
        assert got.facility == pytest.approx(want.facility)
        assert got.discrimination == pytest.approx(want.discrimination)
    assert report.analysis.test.alpha == pytest.approx(expected.test.alpha)
    assert [i.max_mark for i in report.analysis.items] == [1.0, 1.0, 2.0]


def test_first_attempts_only_leaves_out_retakes(graded_quiz, make_attempt, make_user):
    retaker = make_user()
    make_attempt(retaker, graded_quiz, [0, 0, 0])
    make_attempt(retaker, graded_quiz, [1, 1, 1])
    assert analyse_quiz(graded_quiz).analysis.test.attempts == 7
    assert analyse_quiz(graded_quiz, first_only=True).analysis.test.attempts == 6


def test_answer_frequencies_count_each_choice(graded_quiz):
    report = analyse_quiz(graded_quiz)
    q1 = report.questions[0]
    assert [(c["text"], c["count"]) for c in q1.choices] == [
        ("请稍等，我帮您查询一下", 4),
        ("不知道", 1),
        ("自己看", 0),
    ]


def test_cli_prints_exactly_the_contract(runner, graded_quiz):
    result = runner.invoke(
        args=["reports", "items", "--quiz", str(graded_quiz.id), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"alpha", "items"}
    assert isinstance(data["alpha"], float)
    assert [set(item) for item in data["items"]] == [
        {"question", "facility", "discrimination", "n"}
    ] * 3
    first = data["items"][0]
    assert first["question"] == "q1题" and first["n"] == 5
    assert first["facility"] == pytest.approx(0.8)
    assert -1 <= first["discrimination"] <= 1


def test_cli_names_the_missing_quiz(runner, db):
    result = runner.invoke(args=["reports", "items", "--quiz", "999", "--format", "json"])
    assert result.exit_code != 0
    assert "--quiz" in result.output and "999" in result.output


def test_a_quiz_without_attempts_gives_an_empty_report(make_quiz, runner):
    quiz = make_quiz(QUESTIONS)
    result = runner.invoke(args=["reports", "items", "--quiz", str(quiz.id), "--format", "json"])
    assert json.loads(result.output) == {"alpha": 0.0, "items": []}


def test_the_item_page_shows_statistics_flags_and_answers(client, login_as, make_user, graded_quiz):
    login_as(make_user(Role.TRAINER))
    body = client.get(f"/reports/quizzes/{graded_quiz.id}/items").get_data(as_text=True)
    assert 'data-testid="item-table"' in body and "q3题" in body
    assert "请稍等，我帮您查询一下" in body  # per-answer frequencies
    assert 'data-testid="chart-facility-table"' in body
    first = client.get(f"/reports/quizzes/{graded_quiz.id}/items?attempts=first")
    assert first.status_code == 200

"""Item analysis reads a window of attempts (last N months, one cohort) and is cached until a
new graded attempt arrives."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from trainer import clock
from trainer.permissions import Role
from trainer.reports.quiz_facts import AttemptWindow, analyse_quiz, cached_analysis

QUESTIONS = [("q1", "norms", None, 1.0), ("q2", "phrases", None, 1.0)]


@pytest.fixture
def quiz_with_history(make_quiz, make_attempt, make_user, make_enrolment, make_cohort):
    quiz = make_quiz(QUESTIONS, title="岗前考试")
    cohort = make_cohort(name="2026年第9期")
    for _ in range(3):
        make_attempt(make_enrolment(cohort=cohort).user, quiz, [1, 0])
    make_attempt(make_user(), quiz, [1, 1], submitted_at=clock.now() - timedelta(days=400))
    return quiz, cohort


def test_the_window_leaves_out_old_attempts_and_other_cohorts(quiz_with_history, make_user):
    quiz, cohort = quiz_with_history
    make_user()  # a trainee of no cohort does not join the cohort window
    assert analyse_quiz(quiz).analysis.test.attempts == 4
    assert analyse_quiz(quiz, window=AttemptWindow(months=12)).analysis.test.attempts == 3
    assert analyse_quiz(quiz, window=AttemptWindow(cohort_id=cohort.id)).analysis.test.attempts == 3


def test_the_page_defaults_to_the_last_twelve_months_and_offers_the_cohort(
    client, login_as, make_user, quiz_with_history
):
    quiz, cohort = quiz_with_history
    login_as(make_user(Role.TRAINER))
    body = client.get(f"/reports/quizzes/{quiz.id}/items").get_data(as_text=True)
    assert 'data-testid="item-window"' in body and f'value="cohort:{cohort.id}"' in body
    assert '<dd class="col-sm-8">3</dd>' in body
    every = client.get(f"/reports/quizzes/{quiz.id}/items?window=all").get_data(as_text=True)
    assert '<dd class="col-sm-8">4</dd>' in every


def count_statements(db, call):
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = call()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return result, len(seen)


def test_the_cache_answers_until_a_new_graded_attempt_arrives(
    app, db, quiz_with_history, make_attempt, make_user
):
    quiz, _ = quiz_with_history
    window = AttemptWindow(months=12)
    first, cold = count_statements(db, lambda: cached_analysis(quiz, window=window))
    again, warm = count_statements(db, lambda: cached_analysis(quiz, window=window))
    assert warm == 1 < cold  # only the stamp: count, newest id, latest grading
    assert again.analysis is first.analysis
    make_attempt(make_user(), quiz, [0, 0])
    fresh = cached_analysis(quiz, window=window)
    assert fresh.analysis.test.attempts == 4


def test_the_item_table_sorts_and_filters_on_the_page(
    client, login_as, make_user, quiz_with_history
):
    quiz, _ = quiz_with_history
    easy, hard = (f'data-question="{q.label}"' for q in analyse_quiz(quiz).questions)
    login_as(make_user(Role.TRAINER))
    # every recent attempt has q1 right and q2 wrong: q2 is the harder one
    body = client.get(f"/reports/quizzes/{quiz.id}/items?order=facility").get_data(as_text=True)
    assert body.index(hard) < body.index(easy)
    body = client.get(f"/reports/quizzes/{quiz.id}/items?order=-facility").get_data(as_text=True)
    assert body.index(easy) < body.index(hard)
    flagged = client.get(f"/reports/quizzes/{quiz.id}/items?flagged=1").get_data(as_text=True)
    # 100 % and 0 % right: one too easy, one too hard, both kept
    assert easy in flagged and hard in flagged and 'data-flag="too_hard"' in flagged

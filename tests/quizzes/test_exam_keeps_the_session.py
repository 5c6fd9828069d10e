"""An exam in progress keeps its session alive: every autosave is activity."""

from datetime import timedelta

from sqlalchemy import select

from trainer import clock
from trainer.quizzes.models import Attempt, Purpose


def test_autosaves_keep_an_exam_session_past_the_idle_timeout(
    session_timeouts, db, make_quiz, trainee_in_training, client, login_as
):
    quiz = make_quiz(Purpose.PRE_JOB, time_limit_minutes=90)
    login_as(trainee_in_training.user)
    client.post(f"/quizzes/{quiz.id}/start")
    attempt = db.session.scalar(select(Attempt))
    for minutes in (20, 40, 60, 80):  # longer than the 30-minute idle timeout in all
        clock.set_offset(timedelta(minutes=minutes))
        saved = client.post(f"/attempts/{attempt.id}/save", json={"answers": {}, "slots": []})
        assert saved.status_code == 200, minutes
    assert client.get(f"/attempts/{attempt.id}").status_code == 200


def test_without_activity_the_exam_session_times_out(
    session_timeouts, db, make_quiz, trainee_in_training, client, login_as
):
    quiz = make_quiz(Purpose.PRE_JOB, time_limit_minutes=90)
    login_as(trainee_in_training.user)
    client.post(f"/quizzes/{quiz.id}/start")
    attempt = db.session.scalar(select(Attempt))
    clock.set_offset(timedelta(minutes=31))
    assert client.get(f"/attempts/{attempt.id}").status_code == 302


def test_an_autosave_with_hostile_nesting_is_a_400(
    db, make_quiz, trainee_in_training, client, login_as
):
    quiz = make_quiz(Purpose.PRE_JOB)
    login_as(trainee_in_training.user)
    client.post(f"/quizzes/{quiz.id}/start")
    attempt = db.session.scalar(select(Attempt))
    body = '{"answers": ' + "[" * 50_000 + "]" * 50_000 + "}"
    response = client.post(
        f"/attempts/{attempt.id}/save", data=body, content_type="application/json"
    )
    assert response.status_code == 400

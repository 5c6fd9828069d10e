"""The review policy: marks, feedback and right answers each open immediately, after the quiz
closes, after the last allowed attempt or never; exams never show the key while attempts
remain. Checked through the pages a trainee can open."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.quizzes.test_attempts import answer_everything
from trainer import clock
from trainer.permissions import Role
from trainer.quizzes.models import Attempt, Purpose, Quiz, ReviewWhen
from trainer.quizzes.quiz_setup import questions_index, validate_quiz

KEY = 'data-testid="correct-answer"'
FEEDBACK = "这是服务禁语"  # the feedback of a wrong choice of test_bank/sc
SCORE = 'data-testid="score"'


@pytest.fixture
def sit(db, client, login_as, trainee_in_training):
    """Start and submit an attempt (the wrong choice of `sc`); return the review page."""
    login_as(trainee_in_training.user)

    def sit(quiz) -> str:
        client.post(f"/quizzes/{quiz.id}/start")
        attempt = db.session.scalars(
            select(Attempt).where(Attempt.quiz_id == quiz.id).order_by(Attempt.id.desc())
        ).first()
        fields, slots = answer_everything(attempt, well=False)  # 不知道: "这是服务禁语"
        client.post(
            f"/attempts/{attempt.id}/submit", data={**fields, "slot": [str(s) for s in slots]}
        )
        return attempt

    return sit


def review(client, attempt) -> str:
    return client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)


def test_a_practice_quiz_shows_marks_feedback_and_key_at_once(make_quiz, sit, client):
    html = review(client, sit(make_quiz(Purpose.PRACTICE, keys=["sc"])))
    assert SCORE in html and FEEDBACK in html and KEY in html


@pytest.mark.parametrize("purpose", [Purpose.PRE_JOB, Purpose.FINAL, Purpose.REFRESHER])
def test_a_gating_exam_defaults_to_marks_and_feedback_without_the_key(make_quiz, purpose):
    quiz = make_quiz(purpose, keys=["sc"])
    assert (quiz.review_when, quiz.review_feedback_when, quiz.review_answers_when) == (
        ReviewWhen.IMMEDIATELY,
        ReviewWhen.IMMEDIATELY,
        ReviewWhen.NEVER,
    )


def test_answers_after_the_last_attempt_wait_until_no_attempt_remains(
    db, make_quiz, sit, client, trainee_in_training
):
    quiz = make_quiz(
        Purpose.PRACTICE,
        keys=["sc"],
        attempts_allowed=2,
        review_answers_when="after_last_attempt",
    )
    first = sit(quiz)
    assert KEY not in review(client, first) and FEEDBACK in review(client, first)
    second = sit(quiz)
    assert KEY in review(client, first) and KEY in review(client, second)


def test_marks_never_hides_score_feedback_and_key(make_quiz, sit, client):
    html = review(client, sit(make_quiz(Purpose.PRACTICE, keys=["sc"], review_when="never")))
    assert 'data-testid="review-closed"' in html
    assert SCORE not in html and FEEDBACK not in html and KEY not in html


def test_the_quiz_list_keeps_back_marks_the_policy_hides(db, make_quiz, sit, client):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc"], review_when="never", pass_percent=0)
    sit(quiz)
    html = client.get("/quizzes").get_data(as_text=True)
    row = html[html.index(f'data-quiz="{quiz.key}"') :].split("</tr>")[0]
    assert "0%" not in row and "Passed" in row


def test_after_close_opens_the_review_once_the_quiz_has_closed(db, make_quiz, sit, client):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc"], review_answers_when="after_close")
    quiz.close_at = clock.now() + timedelta(hours=1)
    db.session.commit()
    attempt = sit(quiz)
    assert KEY not in review(client, attempt)
    clock.set_offset(timedelta(hours=2))
    assert KEY in review(client, attempt)


@pytest.mark.parametrize("when", ["immediately", "after_close"])
def test_an_exam_that_would_show_the_key_while_attempts_remain_is_refused(db, bank, when):
    spec = {
        "key": "pj",
        "purpose": "pre_job",
        "review_answers_when": when,
        "rules": [{"question": "test_bank/sc"}],
    }
    errors = [e for e in validate_quiz(spec, questions_index()) if "review" in e]
    assert errors == [
        f"quiz pj: review_answers_when '{when}': a pre_job exam shows the right answers "
        "only after_last_attempt or never"
    ]


def test_an_older_spec_showing_answers_keeps_an_exams_key_hidden(make_quiz):
    quiz = make_quiz(
        Purpose.FINAL, keys=["sc"], review_when="immediately", review_shows_answers=True
    )
    assert quiz.review_feedback_when == ReviewWhen.IMMEDIATELY
    assert quiz.review_answers_when == ReviewWhen.NEVER


def test_the_trainer_sets_the_review_policy_in_the_quiz_form(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    form = {
        "key": "drill-2",
        "title": "练习二",
        "purpose": "practice",
        "pass_percent": "60",
        "grading_method": "last",
        "review_when": "immediately",
        "review_feedback_when": "after_close",
        "review_answers_when": "after_last_attempt",
        "published": "y",
        "rules": "- {question: test_bank/sc}\n",
    }
    assert client.post("/manage/quizzes/new", data=form).status_code == 302
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "drill-2"))
    assert quiz.review_feedback_when == ReviewWhen.AFTER_CLOSE
    assert quiz.review_answers_when == ReviewWhen.AFTER_LAST_ATTEMPT
    page = client.get(f"/manage/quizzes/{quiz.id}/edit").get_data(as_text=True)
    assert '<option selected value="after_last_attempt">' in page


def test_the_form_refuses_an_exam_showing_the_key_at_once(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    form = {
        "key": "exam-2",
        "title": "考试二",
        "purpose": "final",
        "pass_percent": "80",
        "grading_method": "highest",
        "review_answers_when": "immediately",
        "rules": "- {question: test_bank/sc}\n",
    }
    html = client.post("/manage/quizzes/new", data=form).get_data(as_text=True)
    assert "review_answers_when" in html and db.session.scalar(select(Quiz)) is None

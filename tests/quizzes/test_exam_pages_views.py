"""The paged attempt page, the summary before submit and flags through HTTP."""

import pytest

from tests.quizzes.conftest import SECRETS
from trainer.permissions import Role
from trainer.quizzes.models import Attempt, Purpose
from trainer.quizzes.services import load_responses


@pytest.fixture
def paged(db, make_quiz, trainee_in_training, client, login_as):
    quiz = make_quiz(Purpose.PRACTICE, questions_per_page=4, shuffle_questions=False)
    login_as(trainee_in_training.user)
    response = client.post(f"/quizzes/{quiz.id}/start")
    return int(response.location.rsplit("/", 1)[1])


def test_the_attempt_shows_the_requested_page_and_hides_the_others(paged, client):
    html = client.get(f"/attempts/{paged}?page=2").get_data(as_text=True)
    assert '<section class="quiz-page" data-page="2" aria-label=' in html
    assert 'data-page="1" aria-label="Page 1 of 3" hidden' in html
    assert 'data-page="2" aria-label="Page 2 of 3">' in html


def test_a_page_past_the_end_shows_the_last_page(paged, client):
    html = client.get(f"/attempts/{paged}?page=99").get_data(as_text=True)
    assert 'data-page="3" aria-label="Page 3 of 3">' in html


def test_flags_sent_with_the_autosave_reach_the_summary(paged, client, db):
    saved = client.post(
        f"/attempts/{paged}/save", json={"answers": {}, "slots": [], "flags": {"1": True}}
    )
    assert saved.json["saved"]
    summary = client.get(f"/attempts/{paged}/summary").get_data(as_text=True)
    assert summary.count('data-flagged="yes"') == 1
    assert 'data-number="2" data-answered="no" data-flagged="yes"' in summary


def test_the_summary_counts_unanswered_questions_in_its_confirm(paged, client):
    client.post(f"/attempts/{paged}/save", json={"answers": {"q-0": ["0"]}, "slots": [0]})
    summary = client.get(f"/attempts/{paged}/summary").get_data(as_text=True)
    assert "8 questions are not answered" in summary


def test_the_summary_leaks_no_key(paged, client):
    summary = client.get(f"/attempts/{paged}/summary").get_data(as_text=True)
    assert not [s for s in SECRETS if s in summary]


def test_submitting_the_attempt_form_keeps_its_flags(paged, client, db):
    data = {"slot": ["0", "1"], "flags": ["1"], "flagged": ["0"], "q-0": ["0"]}
    client.post(f"/attempts/{paged}/submit", data=data)
    db.session.expire_all()
    flags = [r.flagged for r in load_responses(db.session.get(Attempt, paged))][:2]
    assert flags == [True, False]


def test_another_trainee_gets_404_for_the_summary(paged, client, make_user, login_as):
    client.post("/logout")
    login_as(make_user(Role.TRAINEE))
    assert client.get(f"/attempts/{paged}/summary").status_code == 404


def test_a_submitted_attempt_s_summary_goes_to_the_review(paged, client):
    client.post(f"/attempts/{paged}/submit", data={})
    response = client.get(f"/attempts/{paged}/summary")
    assert response.status_code == 302 and response.location.endswith("/review")

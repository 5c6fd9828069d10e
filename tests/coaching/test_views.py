"""Coaching pages: from weak areas to a saved record, the trainee's acknowledgement, CSRF."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer import clock
from trainer.coaching.models import CoachingRecord
from trainer.coaching.services import open_record
from trainer.permissions import Role


@pytest.fixture
def trainee(make_enrolment, make_quiz, make_attempt):
    trainee = make_enrolment().user
    quiz = make_quiz(
        [("q1", "complaints", "complaint_handling.apologise", 1.0), ("q2", "norms", None, 1.0)]
    )
    make_attempt(trainee, quiz, [0, 1])
    return trainee


def test_the_new_record_form_offers_weak_areas_and_ticks_the_ones_asked_for(
    client, login_as, make_user, trainee
):
    login_as(make_user(Role.TRAINER))
    body = client.get(f"/coaching/new/{trainee.id}?focus=topic:complaints").get_data(as_text=True)
    assert "投诉处理 (0%)" in body
    assert re.search(r'<input checked[^>]*value="topic:complaints"', body)
    assert 'value="step:complaint_handling.apologise"' in body
    assert 'value="topic:norms"' not in body  # 100%: not a weak area


def test_saving_the_form_records_the_talk_with_its_focus(client, login_as, make_user, trainee, db):
    trainer = login_as(make_user(Role.TRAINER))
    response = client.post(
        f"/coaching/new/{trainee.id}",
        data={
            "held_on": clock.today().isoformat(),
            "focus": ["topic:complaints"],
            "discussion": "投诉时没有先致歉",
            "agreed_actions": "背诵致歉用语",
            "follow_up_on": (clock.today() + timedelta(days=7)).isoformat(),
        },
    )
    rec = db.session.scalar(select(CoachingRecord))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/coaching/{rec.id}"
    )
    assert rec.coach_id == trainer.id and rec.agreed_actions == "背诵致歉用语"
    assert rec.focus == [{"kind": "topic", "key": "complaints", "label": "投诉处理 (0%)"}]


def test_a_form_without_actions_shows_the_error_and_saves_nothing(
    client, login_as, make_user, trainee, db
):
    login_as(make_user(Role.TRAINER))
    response = client.post(
        f"/coaching/new/{trainee.id}",
        data={"held_on": clock.today().isoformat(), "agreed_actions": ""},
    )
    assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    assert db.session.scalar(select(CoachingRecord)) is None


def test_the_trainee_sees_the_record_on_the_dashboard_and_acknowledges_it(
    client, login_as, make_user, trainee, db
):
    rec = open_record(make_user(Role.TRAINER), trainee, agreed_actions="背诵致歉用语")
    db.session.commit()
    login_as(trainee)
    dashboard = client.get("/").get_data(as_text=True)
    assert f"/coaching/{rec.id}" in dashboard
    assert 'data-testid="coaching-to-acknowledge"' in dashboard
    client.post(f"/coaching/{rec.id}/acknowledge", data={"comment": "明白了"})
    db.session.refresh(rec)
    assert rec.acknowledged and rec.trainee_comment == "明白了"
    assert 'data-testid="coaching-to-acknowledge"' not in client.get("/").get_data(as_text=True)


def test_the_coach_records_the_outcome(client, login_as, make_user, trainee, db):
    trainer = make_user(Role.TRAINER)
    rec = open_record(trainer, trainee, agreed_actions="背诵致歉用语")
    db.session.commit()
    login_as(trainer)
    client.post(f"/coaching/{rec.id}/outcome", data={"outcome": "已能主动致歉", "close": "y"})
    db.session.refresh(rec)
    assert rec.closed and rec.outcome == "已能主动致歉"


def test_acknowledging_without_a_csrf_token_is_rejected(csrf_client, make_user, trainee, db):
    rec = open_record(make_user(Role.TRAINER), trainee, agreed_actions="背诵致歉用语")
    db.session.commit()
    login_page = csrf_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    csrf_client.post(
        "/login",
        data={"employee_no": trainee.employee_no, "password": PASSWORD, "csrf_token": token},
    )
    assert csrf_client.post(f"/coaching/{rec.id}/acknowledge").status_code == 400
    db.session.refresh(rec)
    assert not rec.acknowledged


def test_a_mentor_dashboard_lists_follow_ups_due_for_their_mentees(
    client, login_as, db, make_enrolment, mentor, place
):
    enrolment = make_enrolment()
    place(enrolment, mentor)
    rec = open_record(
        mentor,
        enrolment.user,
        agreed_actions="复习补换卡流程",
        follow_up_on=clock.today() + timedelta(days=2),
    )
    db.session.commit()
    login_as(mentor)
    body = client.get("/?as=mentor").get_data(as_text=True)
    assert 'data-testid="panel-follow-ups"' in body and f"/coaching/{rec.id}" in body

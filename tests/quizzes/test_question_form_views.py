"""The trainer's question form pages and the trainee preview sandbox."""

from sqlalchemy import func, select

from trainer.permissions import Role
from trainer.quizzes.models import Attempt, Question, Response


def test_a_trainer_creates_a_question_through_the_form(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    response = client.post(
        f"/manage/banks/{bank.id}/questions/new",
        data={
            "type": "multiple_choice",
            "text": "哪些是规范用语？",
            "category": "phrases",
            "usage": "exam",
            "points": "2",
            "tags": "用语, 入门",
            "link": "complaint_handling.listen",
            "choice-text": ["请稍等", "不知道", "让您久等了"],
            "choice-grade": ["50", "-100", "50"],
            "choice-feedback": ["", "禁语", ""],
        },
    )
    assert response.status_code == 302
    question = db.session.scalar(select(Question).order_by(Question.id.desc()))
    assert (question.usage.value, question.tags, question.current.points) == (
        "exam",
        ["入门", "用语"],
        2.0,
    )


def test_a_bad_form_is_shown_again_with_the_field_named(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    response = client.post(
        f"/manage/banks/{bank.id}/questions/new",
        data={
            "type": "matching",
            "text": "配对",
            "category": "x",
            "pair-left": ["不知道"],
            "pair-right": ["请稍等"],
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Pairs: at least 2 are needed" in html and 'value="不知道"' in html


def test_saving_the_form_makes_a_new_version(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    question = db.session.scalar(select(Question).where(Question.key == "tf"))
    page = client.get(f"/manage/questions/{question.id}").get_data(as_text=True)
    assert "_line" not in page and 'id="tf-false" value="false" checked' in page
    client.post(
        f"/manage/questions/{question.id}",
        data={
            "type": "true_false",
            "text": "首问负责制要求负责到底。",
            "category": "first_inquiry",
            "points": "1",
            "tf_answer": "true",
        },
    )
    db.session.expire_all()
    assert [v.number for v in db.session.get(Question, question.id).versions] == [1, 2]


def test_the_source_view_never_shows_internal_keys(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    question = db.session.scalar(select(Question).where(Question.key == "sc"))
    assert "_line" not in client.get(f"/manage/questions/{question.id}/source").get_data(
        as_text=True
    )


def test_previewing_a_question_marks_answers_and_records_nothing(
    db, bank, client, login_as, make_user
):
    login_as(make_user(Role.TRAINER))
    question = db.session.scalar(select(Question).where(Question.key == "tf"))
    assert client.get(f"/manage/questions/{question.id}/preview").status_code == 200
    html = client.post(
        f"/manage/questions/{question.id}/preview", data={"seed": "7", "q-0": "false"}
    ).get_data(as_text=True)
    assert 'data-testid="score">1 / 1' in html
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_previewing_a_whole_quiz_records_nothing(db, make_quiz, client, login_as, make_user):
    quiz = make_quiz(keys=["sc", "tf"])
    login_as(make_user(Role.TRAINER))
    assert client.get(f"/manage/quizzes/{quiz.id}/preview").status_code == 200
    html = client.post(f"/manage/quizzes/{quiz.id}/preview", data={"seed": "3"}).get_data(
        as_text=True
    )
    assert 'data-testid="score">0 / 2' in html
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_trainees_cannot_open_the_editor(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINEE))
    assert client.get(f"/manage/banks/{bank.id}/questions/new").status_code == 403

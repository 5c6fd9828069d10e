"""Images imported with Moodle questions: stored once, shown in the question, served only to
those who may see it (a feedback image only after the attempt is submitted)."""

from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from trainer.permissions import Role
from trainer.quizzes.bank_files import read_bank_file
from trainer.quizzes.banks import import_bank_file
from trainer.quizzes.models import Purpose, Question, QuestionAsset
from trainer.quizzes.quiz_setup import upsert_quiz
from trainer.quizzes.services import start_attempt, submit_attempt

EXPORT = Path(__file__).parent / "data" / "moodle_export.xml"


@pytest.fixture
def imported(db):
    with EXPORT.open("rb") as stream:
        bank_file = read_bank_file(stream, "moodlexml", "export.xml", skip_unsupported=True)
    import_bank_file(None, "moodle", bank_file, "export.xml")
    db.session.commit()
    return db.session.scalar(select(Question).where(Question.key == "logo-1")).current


@pytest.fixture
def attempt(db, imported, programme, trainee_in_training):
    quiz = upsert_quiz(
        None,
        programme,
        {
            "key": "logo",
            "title": "标志",
            "purpose": Purpose.PRACTICE.value,
            "rules": [{"question": "moodle/logo-1"}],
        },
    )
    db.session.commit()
    attempt = start_attempt(trainee_in_training.user, quiz)
    db.session.commit()
    return attempt


def url(version, name: str) -> str:
    return f"/quizzes/files/{version.id}/{quote(name)}"


def test_the_same_image_in_two_imports_is_stored_once(db, imported):
    with EXPORT.open("rb") as stream:
        bank_file = read_bank_file(stream, "moodlexml", "again.xml", skip_unsupported=True)
    import_bank_file(None, "copy", bank_file, "again.xml")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(QuestionAsset)) == 2


def test_a_trainer_gets_the_image_with_its_type(db, imported, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    response = client.get(url(imported, "logo small.png"))
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Cache-Control"].startswith("private")


def test_a_trainee_who_never_saw_the_question_gets_404(db, imported, client, login_as, make_user):
    login_as(make_user(Role.TRAINEE))
    assert client.get(url(imported, "logo small.png")).status_code == 404


def test_anonymous_users_are_sent_to_log_in(db, imported, client):
    response = client.get(url(imported, "logo small.png"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_attempt_shows_the_image_and_serves_it_to_its_trainee(db, attempt, client, login_as):
    login_as(attempt.user)
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    version = attempt.responses[0].version
    assert f'src="{url(version, "logo small.png")}"' in page
    assert "<b>本公司</b>" in page  # an html answer is shown formatted
    assert client.get(url(version, "logo small.png")).status_code == 200


def test_a_feedback_image_waits_for_the_submission(db, attempt, client, login_as):
    login_as(attempt.user)
    version = attempt.responses[0].version
    assert client.get(url(version, "answer.gif")).status_code == 404
    submit_attempt(attempt, attempt.user)
    db.session.commit()
    assert client.get(url(version, "answer.gif")).status_code == 200


def test_a_name_the_version_does_not_list_is_404(db, attempt, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    assert client.get(url(attempt.responses[0].version, "../../etc/passwd")).status_code == 404

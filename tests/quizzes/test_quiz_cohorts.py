"""A quiz published to some cohorts: the quiz form sets them, a trainee of another cohort is
refused server-side (a hand-made POST too), a trainee of one of them may start it."""

from sqlalchemy import func, select

from trainer.permissions import Role
from trainer.quizzes.models import Attempt, Purpose, Quiz


def test_the_quiz_form_publishes_to_several_cohorts(
    db, bank, client, login_as, make_cohort, make_user
):
    first, second, _third = (make_cohort(name=f"2026年第{n}期") for n in (1, 2, 3))
    login_as(make_user(Role.TRAINER))
    form = {
        "key": "for-two",
        "title": "两期可用",
        "purpose": "practice",
        "pass_percent": "60",
        "grading_method": "highest",
        "published": "y",
        "cohort_ids": [str(first.id), str(second.id)],
        "rules": "- {question: test_bank/tf}\n",
    }
    assert client.post("/manage/quizzes/new", data=form).status_code == 302
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "for-two"))
    assert sorted(c.id for c in quiz.cohorts) == sorted([first.id, second.id])


def test_a_trainee_outside_the_cohorts_cannot_start_it(
    db, make_quiz, make_cohort, make_enrolment, client, login_as
):
    quiz = make_quiz(Purpose.PRACTICE, keys=["tf"])
    quiz.cohorts = [make_cohort(name="2026年第1期")]
    db.session.commit()
    outsider = make_enrolment(cohort=make_cohort(name="2026年第2期")).user
    login_as(outsider)
    assert 'data-testid="start-' not in client.get("/quizzes").get_data(as_text=True)
    response = client.post(f"/quizzes/{quiz.id}/start", follow_redirects=True)
    assert "This quiz is not open to your cohort." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attempt.id))) == 0


def test_a_trainee_of_one_of_the_cohorts_starts_it(
    db, make_quiz, make_cohort, make_enrolment, client, login_as
):
    quiz = make_quiz(Purpose.PRACTICE, keys=["tf"])
    cohort = make_cohort(name="2026年第1期")
    quiz.cohorts = [make_cohort(name="2026年第2期"), cohort]
    db.session.commit()
    login_as(make_enrolment(cohort=cohort).user)
    assert client.post(f"/quizzes/{quiz.id}/start").status_code == 302
    assert db.session.scalar(select(func.count(Attempt.id))) == 1

"""A role-play question inside a real quiz: shown without its rubric, graded on submit."""

from sqlalchemy import select

from trainer.quizzes.banks import import_questions
from trainer.quizzes.models import Attempt, Purpose, Response
from trainer.quizzes.questions import normalise_question
from trainer.quizzes.quiz_setup import upsert_quiz

QUESTION = {
    "key": "complaint-first-words",
    "type": "roleplay",
    "category": "complaints",
    "text": "请回应这位客户。",
    "points": 7,
    "scenario": "complaint_overcharge_escalation",
    "turn": "t2",
}


def test_a_roleplay_question_is_asked_and_graded_in_a_quiz(
    db, client, login_as, make_enrolment, programme, loaded, phrases_in_db
):
    import_questions(None, "drills", [normalise_question(QUESTION)], title="情景应答")
    quiz = upsert_quiz(
        None,
        programme,
        {
            "key": "drill-exam",
            "title": "情景考试",
            "purpose": Purpose.PRACTICE.value,
            "rules": [{"question": "drills/complaint-first-words"}],
        },
    )
    db.session.commit()
    login_as(make_enrolment().user)
    assert client.post(f"/quizzes/{quiz.id}/start").status_code == 302
    attempt = db.session.scalar(select(Attempt))
    html = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "你查吧！我就想知道这三十块钱到底是什么！" in html
    assert "对不起" not in html and "帮您查" not in html  # no accepted phrasings leak
    slot = db.session.scalar(select(Response.slot))
    client.post(
        f"/attempts/{attempt.id}/submit",
        data={f"q-{slot}": "请稍等，我帮您查一下。", "slot": [str(slot)]},
    )
    response = db.session.scalar(select(Response))
    db.session.refresh(response)
    assert response.fraction == 3 / 7

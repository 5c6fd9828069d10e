"""Re-certification through the quiz engine: a passed refresher exam renews the certificate."""

import pytest

from trainer import clock
from trainer.certificates.services import latest_certificate, verify
from trainer.quizzes.banks import import_questions
from trainer.quizzes.questions import normalise_question
from trainer.quizzes.quiz_setup import upsert_quiz
from trainer.quizzes.services import load_responses, save_answers, start_attempt, submit_attempt

QUESTION = {
    "key": "refresher_tf",
    "type": "true_false",
    "category": "first_inquiry",
    "text": "首问负责制下，可以让客户去找别的同事。",
    "answer": False,
}


@pytest.fixture
def refresher(db, programme):
    import_questions(None, "refresher_bank", [normalise_question(QUESTION)], title="复训题库")
    quiz = upsert_quiz(
        None,
        programme,
        {
            "key": "refresher",
            "title": "上岗证复训考试",
            "purpose": "refresher",
            "rules": [{"question": "refresher_bank/refresher_tf"}],
        },
    )
    db.session.commit()
    return quiz


def sit(quiz, user, answer: str):
    attempt = start_attempt(user, quiz)
    slots = [r.slot for r in load_responses(attempt)]
    save_answers(attempt, {f"q-{slots[0]}": [answer]}, slots)
    return submit_attempt(attempt, user)


def test_passed_refresher_issues_a_new_certificate_superseding_the_old(certificate, refresher, db):
    with clock.travel(days=700):
        attempt = sit(refresher, certificate.user, "false")
        db.session.commit()
        assert attempt.passed
        renewed = latest_certificate(certificate.enrolment)
        assert renewed.id != certificate.id and renewed.basis == f"refresher:{attempt.id}"
        assert verify(certificate.verification_code).status == "expired"
        assert verify(renewed.verification_code).status == "valid"


def test_failed_refresher_changes_nothing(certificate, refresher, db):
    sit(refresher, certificate.user, "true")
    db.session.commit()
    assert latest_certificate(certificate.enrolment).id == certificate.id

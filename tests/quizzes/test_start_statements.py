"""Starting an attempt is a fixed handful of SQL statements whatever the quiz size (issue 21's
start storm): the pool is loaded once, questions are picked in memory and the responses are
inserted in one batch; what is the same for every trainee is cached per quiz version."""

import random

import pytest
from sqlalchemy import event, func, select, update

from trainer.accounts.models import User
from trainer.quizzes.banks import import_questions
from trainer.quizzes.models import Attempt, Purpose, Question, QuestionVersion, Quiz, Response
from trainer.quizzes.questions import normalise_question
from trainer.quizzes.quiz_setup import upsert_quiz
from trainer.quizzes.services import QuizError, start_attempt


def choice(key: str, category: str, usage: str) -> dict:
    return normalise_question(
        {
            "key": key,
            "type": "single_choice",
            "category": category,
            "usage": usage,
            "text": f"题目 {key}",
            "choices": [{"text": "对", "correct": True}, {"text": "错"}],
        }
    )


@pytest.fixture
def big_bank(db):
    """45 exam-only and 45 practice questions in two categories each."""
    questions = [
        choice(f"{usage[0]}{cat}{n}", f"norms/{cat}", usage)
        for usage in ("exam", "practice")
        for cat in ("a", "b")
        for n in range(45)
    ]
    bank = import_questions(None, "big", questions, title="大题库").bank
    db.session.commit()
    return bank


def make(db, programme, key: str, purpose: Purpose, rules: list[dict]):
    quiz = upsert_quiz(
        None, programme, {"key": key, "title": key, "purpose": purpose, "rules": rules}
    )
    db.session.commit()
    return quiz


def statements_to_start(db, user_id: int, quiz_id: int) -> list[str]:
    """The SQL that starting sends in a fresh request (nothing in the identity map)."""
    db.session.close()
    quiz, user = db.session.get(Quiz, quiz_id), db.session.get(User, user_id)
    seen: list[str] = []

    def listener(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        start_attempt(user, quiz, random.Random(1))
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    db.session.commit()
    return seen


def fixed(n: int, cat: str = "a") -> list[dict]:
    return [{"question": f"big/e{cat}{i}"} for i in range(n)]


@pytest.mark.parametrize(
    "rules",
    [
        pytest.param(lambda n: fixed(n), id="fixed"),
        pytest.param(
            lambda n: [
                {"category": "norms/a", "count": n // 2},
                {"category": "norms/b", "count": n // 2},
            ],
            id="random",
        ),
        pytest.param(
            lambda n: fixed(2, "b") + [{"category": "norms/a", "count": n - 2}], id="mixed"
        ),
    ],
)
def test_starting_takes_as_many_statements_for_40_questions_as_for_10(
    db, programme, big_bank, make_enrolment, rules
):
    quizzes = {
        "small": make(db, programme, "small", Purpose.PRE_JOB, rules(10)).id,
        "large": make(db, programme, "large", Purpose.PRE_JOB, rules(40)).id,
    }
    first, second = make_enrolment().user.id, make_enrolment().user.id
    counts = {}
    for name, quiz_id in quizzes.items():
        # the first start of each quiz fills the cache; count a second trainee's start
        statements_to_start(db, first, quiz_id)
        counts[name] = len(statements_to_start(db, second, quiz_id))
        responses = db.session.scalar(
            select(func.count(Response.id))
            .join(Attempt)
            .where(Attempt.user_id == second, Attempt.quiz_id == quiz_id)
        )
        assert responses == (10 if name == "small" else 40)
    assert counts["small"] == counts["large"], counts


def test_the_cached_plan_follows_an_archived_question_and_a_changed_rule(
    db, programme, big_bank, make_enrolment
):
    quiz = make(db, programme, "all", Purpose.PRE_JOB, [{"category": "norms/a", "count": 45}])
    users = [make_enrolment().user.id for _ in range(3)]
    statements_to_start(db, users[0], quiz.id)  # fills the cache with all 45
    db.session.execute(update(Question).where(Question.category == "norms/a").values(archived=True))
    db.session.commit()
    with pytest.raises(QuizError, match="45"):
        statements_to_start(db, users[1], quiz.id)
    db.session.rollback()
    make(db, programme, "all", Purpose.PRE_JOB, [{"category": "norms/b", "count": 7}])
    statements_to_start(db, users[2], quiz.id)
    drawn = db.session.scalars(
        select(Question.category)
        .join(QuestionVersion)
        .join(Response)
        .join(Attempt)
        .where(Attempt.user_id == users[2])
    ).all()
    assert drawn == ["norms/b"] * 7


# the user with roles and session; quiz; open attempt; enrolment, the quiz's cohorts, unstudied
# pre-job modules, required drills; the plan's stamp; INSERT attempt, INSERT responses
REQUEST_STATEMENTS = 10


def test_the_start_request_sends_a_fixed_dozen_statements_and_none_after_the_commit(
    app, db, programme, big_bank, make_enrolment, client, login_as
):
    """The whole POST: signed-in user, availability (the path's other requirements, one
    statement each), the attempt, the commit and the redirect (no read-back of the row)."""
    quiz = make(db, programme, "exam", Purpose.PRE_JOB, fixed(5))
    statements_to_start(db, make_enrolment().user.id, quiz.id)  # fills the plan's cache
    login_as(make_enrolment().user)
    seen: list[str] = []

    def listener(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    def committed(conn):
        seen.append("COMMIT")

    event.listen(db.engine, "before_cursor_execute", listener)
    event.listen(db.engine, "commit", committed)
    try:
        response = client.post(f"/quizzes/{quiz.id}/start")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
        event.remove(db.engine, "commit", committed)
    assert response.status_code == 302 and "/attempts/" in response.location
    work = [s for s in seen if not s.startswith(("BEGIN", "SAVEPOINT", "RELEASE"))]
    assert work[-1] == "COMMIT", work  # nothing read again to redirect
    assert len(work) - 1 == REQUEST_STATEMENTS, "\n".join(work)

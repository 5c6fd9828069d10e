"""Starting an attempt is atomic: requests racing to start the same quiz give the trainee at
most one open attempt and never more attempts than allowed. The database holds both rules
(a conditional INSERT, the unique attempt number and a partial unique index on open attempts),
so even callers that skip the availability checks cannot break them."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from tests.conftest import PASSWORD
from trainer.accounts.models import User
from trainer.db import is_busy_error, write_intent
from trainer.extensions import db as _db
from trainer.quizzes.models import Attempt, AttemptState, Purpose, Quiz
from trainer.quizzes.services import QuizError, build_attempt, submit_attempt

THREADS = 12


def run_at_once(target, count: int = THREADS) -> list:
    """Run `target(i)` in `count` threads released together; return what each returned."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        barrier.wait()
        results[i] = target(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def attempts(quiz) -> tuple[int, int]:
    """(attempts, open attempts) of the quiz, read fresh."""
    _db.session.expire_all()
    rows = _db.session.execute(
        select(Attempt.state, func.count())
        .where(Attempt.quiz_id == quiz.id)
        .group_by(Attempt.state)
    ).all()
    counts = dict(rows)
    return sum(counts.values()), counts.get(AttemptState.IN_PROGRESS, 0)


@pytest.mark.parametrize("round_", range(4))
def test_parallel_starts_over_http_give_one_open_attempt_and_respect_the_limit(
    app, db, make_quiz, trainee_in_training, round_
):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf"], attempts_allowed=1)
    user = trainee_in_training.user
    start_url = f"/quizzes/{quiz.id}/start"
    clients = [app.test_client() for _ in range(THREADS)]
    for c in clients:
        c.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})

    codes = run_at_once(lambda i: clients[i].post(start_url).status_code)
    assert set(codes) <= {302, 503}
    assert attempts(quiz) == (1, 1)

    opened = db.session.scalar(select(Attempt).where(Attempt.quiz_id == quiz.id))
    submit_attempt(opened, user)
    db.session.commit()
    run_at_once(lambda i: clients[i].post(start_url).status_code)
    assert attempts(quiz) == (1, 0)  # the one allowed attempt is used: nothing new starts


@pytest.fixture
def twin(make_app):
    """A second app on the same database (as tests/training/test_stage_race.py): its threads
    get sessions of their own."""
    return make_app(SECRET_KEY="twin")


def test_the_database_holds_the_rules_even_without_the_availability_checks(
    twin, db, make_quiz, trainee_in_training
):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf"])
    user = trainee_in_training.user
    quiz_id, user_id = quiz.id, user.id
    outcomes = []

    def start(_):
        # Every thread reads before any writes (deferred transactions): the race of the issue.
        with twin.app_context(), write_intent(False):
            try:
                attempt = build_attempt(
                    _db.session.get(User, user_id),
                    _db.session.get(Quiz, quiz_id),
                    limit=2,
                )
                _db.session.commit()
                outcomes.append(attempt.number)
            except QuizError:
                _db.session.rollback()
                outcomes.append("refused")
            except OperationalError as error:  # SQLite busy past its timeout: nothing written
                assert is_busy_error(error)
                _db.session.rollback()
                outcomes.append("busy")
            finally:
                _db.session.remove()

    for expected in [(1, 1), (2, 1), (2, 0)]:
        run_at_once(start)
        assert attempts(quiz) == expected
        for attempt in db.session.scalars(
            select(Attempt).where(Attempt.state == AttemptState.IN_PROGRESS)
        ):
            submit_attempt(attempt, user)
        db.session.commit()
    assert "refused" in outcomes  # the third round hit the limit of two

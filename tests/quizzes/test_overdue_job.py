"""The close-overdue job: submits attempts whose time ran out; two runners at once grade once."""

import threading

from sqlalchemy import func, select

from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.jobs.runner import run_job
from trainer.quizzes.models import Attempt, AttemptState, Purpose
from trainer.quizzes.services import start_attempt


def test_two_runners_at_once_submit_each_overdue_attempt_once(app, db, make_quiz, make_enrolment):
    quiz = make_quiz(Purpose.PRACTICE, time_limit_minutes=10)
    ids = []
    for _ in range(3):
        attempt = start_attempt(make_enrolment().user, quiz)
        db.session.commit()
        ids.append(attempt.id)
    barrier = threading.Barrier(2)
    results = []

    def runner() -> None:
        with app.app_context():
            barrier.wait(timeout=30)
            results.append(run_job("quizzes.close_overdue"))
            db.session.remove()

    with clock.travel(minutes=30):  # the runners' app contexts share the app's clock
        threads = [threading.Thread(target=runner) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert [r.outcome for r in results] == ["done", "done"]
    db.session.expire_all()
    states = db.session.scalars(select(Attempt.state).where(Attempt.id.in_(ids))).all()
    assert AttemptState.IN_PROGRESS not in states and len(states) == 3
    # Between them, each attempt was submitted and graded exactly once.
    audits = select(func.count()).select_from(AuditEntry)
    assert db.session.scalar(audits.where(AuditEntry.action == "attempt.auto_submit")) == 3

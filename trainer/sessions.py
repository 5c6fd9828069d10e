"""The database session: a commit, then the work that had to wait for it.

Code that must react to a change only once it is durable (issue a certificate after the final
exam's pass has committed, render its PDF after the serial number's lock is released) queues a
callback with `after_commit`. The session runs the queue right after a successful commit —
whoever commits: a view, a CLI command, a job, a test — each callback in a transaction of its
own, committed on success, rolled back and logged on failure (the commit that queued it stands;
the scheduled jobs sweep up what failed). A rollback drops what its transaction queued.
"""

import logging
from collections.abc import Callable

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

log = logging.getLogger(__name__)

PENDING = "trainer.after_commit.pending"  # queued by the open transaction
READY = "trainer.after_commit.ready"  # its transaction committed; runs next
RUNNING = "trainer.after_commit.running"
MAX_ROUNDS = 20  # after-commit work may queue more; deeper than this is a bug


class Session(FlaskSession):
    def commit(self) -> None:
        super().commit()
        if not self.info.get(RUNNING):
            self.run_after_commit()

    def after_commit(self, callback: Callable[[], object]) -> None:
        """Run `callback()` once the current transaction has committed."""
        self.info.setdefault(PENDING, []).append(callback)

    def run_after_commit(self) -> int:
        """Run the callbacks of committed transactions; returns how many ran."""
        ran = 0
        self.info[RUNNING] = True
        try:
            for _round in range(MAX_ROUNDS):
                ready = self.info.pop(READY, None)
                if not ready:
                    return ran
                for callback in ready:
                    ran += 1
                    try:
                        callback()
                        super().commit()
                    except Exception:
                        self.rollback()
                        log.exception(
                            "after-commit work %r failed; a scheduled job retries", callback
                        )
            log.error("after-commit work still queued after %d rounds", MAX_ROUNDS)
            self.info.pop(READY, None)
            return ran
        finally:
            self.info.pop(RUNNING, None)


@event.listens_for(OrmSession, "after_commit")
def _committed(session: OrmSession) -> None:
    # No SQL may run inside this event (the transaction is over): hand the work on.
    if pending := session.info.pop(PENDING, None):
        session.info.setdefault(READY, []).extend(pending)


@event.listens_for(OrmSession, "after_soft_rollback")
def _rolled_back(session: OrmSession, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction, not a savepoint
        session.info.pop(PENDING, None)

"""Running a job once: claim the occurrence, run it in its own transaction, record the end.

Jobs run with write intent (SQLite: BEGIN IMMEDIATE) and commit at the end; after-commit work
they queue (a certificate PDF, say) runs right after. A failing job is rolled back, logged and
recorded as failed; the next occurrence tries again, since every job is a sweep over what is
due rather than a one-shot command.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from croniter import croniter
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from trainer import clock
from trainer.db import write_intent
from trainer.events import run_pending
from trainer.extensions import db
from trainer.jobs.models import JobRun
from trainer.jobs.registry import JobSpec, registry

log = logging.getLogger(__name__)
KEEP_RUNS = timedelta(days=30)


@dataclass(frozen=True)
class RunResult:
    name: str
    slot: str
    outcome: str  # done | failed | skipped (another runner has this occurrence)
    summary: str = ""

    def __str__(self) -> str:
        return f"{self.name} [{self.slot}]: {self.outcome}" + (
            f" — {self.summary}" if self.summary else ""
        )


def occurrence(spec: JobSpec, at: datetime | None = None) -> datetime:
    """The latest scheduled time of `spec` at or before `at` (business time zone)."""
    moment = clock.local(at or clock.now())
    # croniter's get_prev is strictly before its start: start a moment later to include `at`.
    return croniter(spec.cron, moment + timedelta(microseconds=1)).get_prev(datetime)


def next_occurrence(spec: JobSpec, at: datetime | None = None) -> datetime:
    return croniter(spec.cron, clock.local(at or clock.now())).get_next(datetime)


def claim(name: str, slot: str) -> int | None:
    """Insert the (name, slot) row and commit; None when another runner holds it."""
    run = JobRun(name=name, slot=slot, started_at=clock.now())
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return run.id


def run_job(name: str, slot: str | None = None) -> RunResult:
    """Run job `name` for occurrence `slot` (default: a manual run of its own)."""
    spec = registry().get(name)
    slot = slot or f"manual {clock.now():%Y-%m-%dT%H:%M:%S} {uuid.uuid4().hex[:6]}"
    with write_intent():
        run_id = claim(name, slot)
        if run_id is None:
            return RunResult(name, slot, "skipped")
        try:
            summary = spec.func()
            db.session.commit()
            outcome = "done"
        except Exception as exc:  # a job reports and ends; the next occurrence tries again
            db.session.rollback()
            log.exception("job %s (%s) failed", name, slot)
            summary, outcome = f"{type(exc).__name__}: {exc}", "failed"
        run_pending()
        summary = "" if summary is None else str(summary)
        db.session.execute(
            update(JobRun)
            .where(JobRun.id == run_id)
            .values(finished_at=clock.now(), outcome=outcome, summary=summary[:2000])
        )
        db.session.commit()
    return RunResult(name, slot, outcome, summary)


def run_scheduled(name: str, at: datetime | None = None) -> RunResult:
    """Run the occurrence of job `name` that is due at `at` (once, whoever asks)."""
    spec = registry().get(name)
    return run_job(name, occurrence(spec, at).isoformat(timespec="minutes"))


def prune_runs() -> str:
    """Forget runs older than 30 days (the table only serves dedup and a recent history)."""
    with write_intent():
        result = db.session.execute(
            delete(JobRun).where(JobRun.started_at < clock.now() - KEEP_RUNS)
        )
    return f"{result.rowcount} old job runs removed"

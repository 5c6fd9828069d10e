"""Bulk issuance for a cohort: inline with a progress callback, or as RQ jobs on Redis.

Progress lives in a CertificateBatch row that each job bumps with an atomic UPDATE, so the
trainer's page shows it whether the work runs in this process or in `trainer certs worker`.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from flask import current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import exists, select, update

from trainer import clock
from trainer.accounts.models import User
from trainer.certificates.models import Certificate, CertificateBatch
from trainer.certificates.services import issue_and_certify
from trainer.events import announce
from trainer.extensions import db
from trainer.training.models import Cohort, Enrolment
from trainer.training.stages import Stage

log = logging.getLogger(__name__)

QUEUE_NAME = "certificates"
BATCH_FINISHED = "certificates.batch_finished"  # announced with batch_id when the last one is done
JOB_SIZE = 25  # enrolments per job: big enough to amortise start-up, small enough to show progress


def qualifying_enrolments(cohort: Cohort) -> list[Enrolment]:
    """Trainees who passed the final exam (or were certified by override) without a certificate."""
    has_certificate = exists().where(Certificate.enrolment_id == Enrolment.id)
    return list(
        db.session.scalars(
            select(Enrolment)
            .where(
                Enrolment.cohort_id == cohort.id,
                Enrolment.stage.in_((Stage.FINAL_PASSED, Stage.CERTIFIED)),
                ~has_certificate,
            )
            .order_by(Enrolment.id)
        ).unique()
    )


def start_batch(cohort: Cohort, actor) -> tuple[CertificateBatch, list[int]]:
    enrolment_ids = [e.id for e in qualifying_enrolments(cohort)]
    batch = CertificateBatch(
        cohort_id=cohort.id, requested_by_id=getattr(actor, "id", None), total=len(enrolment_ids)
    )
    db.session.add(batch)
    db.session.flush()
    return batch, enrolment_ids


def issue_chunk(
    batch_id: int,
    enrolment_ids: Iterable[int],
    actor_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Issue for each enrolment, committing one by one so a failure costs only that trainee."""
    actor = db.session.get(User, actor_id) if actor_id else None
    for enrolment_id in enrolment_ids:
        error = None
        try:
            enrolment = db.session.get(Enrolment, enrolment_id)
            issue_and_certify(enrolment, actor)
            db.session.commit()
        except Exception as exc:  # one bad record must not stop a cohort's certificates
            db.session.rollback()
            error = f"enrolment {enrolment_id}: {exc}"
        column = CertificateBatch.failed if error else CertificateBatch.done
        db.session.execute(
            update(CertificateBatch)
            .where(CertificateBatch.id == batch_id)
            .values({column: column + 1})
        )
        batch = db.session.get(CertificateBatch, batch_id)
        db.session.refresh(batch)
        if error:
            batch.errors = [*batch.errors, error][-50:]
        if batch.finished:  # two jobs may both see it: the listener's key keeps one notice
            announce(BATCH_FINISHED, batch_id=batch_id)
        db.session.commit()
        if progress:
            progress(1)


def issue_for_cohort(
    cohort: Cohort, actor, progress: Callable[[int], None] | None = None
) -> CertificateBatch:
    """Run a whole batch in this process (CLI, or the web without Redis)."""
    batch, enrolment_ids = start_batch(cohort, actor)
    if not enrolment_ids:
        announce(BATCH_FINISHED, batch_id=batch.id)
    db.session.commit()
    issue_chunk(batch.id, enrolment_ids, getattr(actor, "id", None), progress)
    db.session.refresh(batch)
    return batch


def redis_queue():
    """The RQ queue when REDIS_URL is configured, else None (then work runs inline)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    connection = Redis.from_url(url, **current_app.config.get("REDIS_OPTIONS", {}))
    return Queue(QUEUE_NAME, connection=connection)


def enqueue_for_cohort(cohort: Cohort, actor) -> CertificateBatch:
    """Queue the batch as RQ jobs and return at once; inline when there is no Redis."""
    queue = redis_queue()
    if queue is None:
        return issue_for_cohort(cohort, actor)
    batch, enrolment_ids = start_batch(cohort, actor)
    batch.queued = True
    if not enrolment_ids:
        announce(BATCH_FINISHED, batch_id=batch.id)
    db.session.commit()
    for start in range(0, len(enrolment_ids), JOB_SIZE):
        chunk = enrolment_ids[start : start + JOB_SIZE]
        try:
            queue.enqueue(run_job, batch.id, chunk, getattr(actor, "id", None), job_timeout=600)
        except RedisError as exc:
            # Redis went away: do the rest here rather than leave the batch stuck half-queued.
            log.warning("Redis unreachable (%s); issuing batch %s in this process", exc, batch.id)
            issue_chunk(batch.id, enrolment_ids[start:], getattr(actor, "id", None))
            break
    db.session.refresh(batch)
    return batch


def run_job(batch_id: int, enrolment_ids: list[int], actor_id: int | None) -> None:
    """RQ entry point, run by `trainer jobs worker` (or `trainer certs worker`), which provide
    the app context."""
    if not has_app_context():
        raise RuntimeError("run certificate jobs with `trainer jobs worker`")
    issue_chunk(batch_id, enrolment_ids, actor_id)


STUCK_AFTER = timedelta(minutes=15)  # a queued batch without progress this long lost its jobs


def resume_stuck_batches() -> str:
    """Job: finish queued batches whose jobs were lost (Redis restarted, a worker killed).

    A batch is stuck when it is unfinished and has not moved for STUCK_AFTER. Its remaining
    work is whoever in the cohort still qualifies without a certificate (issuing is
    exactly-once, so a late original job that runs after all only finds them issued); the
    counts are rebuilt from that and the rest is issued here.
    """
    stuck = db.session.scalars(
        select(CertificateBatch)
        .where(
            CertificateBatch.queued.is_(True),
            CertificateBatch.done + CertificateBatch.failed < CertificateBatch.total,
            CertificateBatch.updated_at < clock.now() - STUCK_AFTER,
        )
        .order_by(CertificateBatch.id)
    ).all()
    resumed = []
    for batch in stuck:
        cohort = db.session.get(Cohort, batch.cohort_id)
        remaining = [e.id for e in qualifying_enrolments(cohort)][: batch.total] if cohort else []
        batch.done, batch.failed = batch.total - len(remaining), 0
        batch.errors = [*batch.errors, "resumed by the scheduler after its jobs were lost"][-50:]
        log.warning("batch %s stuck; issuing its %d remaining here", batch.id, len(remaining))
        if not remaining:
            announce(BATCH_FINISHED, batch_id=batch.id)
        db.session.commit()
        issue_chunk(batch.id, remaining, batch.requested_by_id)
        resumed.append(batch.id)
    return f"{len(resumed)} stuck batches resumed"

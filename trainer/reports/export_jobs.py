"""Exports too big to stream within a request run as a background job.

The trainer's request records an ExportJob and, once that commits, hands it to RQ (queue
`exports`, served by `trainer jobs worker`) or, without Redis, to a thread of this process.
The worker writes the file in the requester's language to a temporary file, bumping the row
count as it goes, so the progress page can show it, then keeps it in the shared store
(`trainer.storage`, under `exports/`: the database or S3), so any instance serves the
download; only whoever asked for it (or an admin) may download it. A job whose worker was
lost is run again by the `reports.resume_exports` job; files older than KEEP_FILES are removed
by it.
"""

import logging
import secrets
import tempfile
import threading
from datetime import timedelta
from functools import partial

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import select, update

from trainer import clock, storage
from trainer.audit.services import record
from trainer.db import write_intent
from trainer.errors import DomainError
from trainer.events import after_commit
from trainer.extensions import db
from trainer.permissions import Role
from trainer.reports.exports import FORMATS, dataset, row_count, write_dataset
from trainer.reports.models import ExportJob

log = logging.getLogger(__name__)

QUEUE_NAME = "exports"
STUCK_AFTER = timedelta(minutes=10)  # queued this long without starting: its worker was lost
KEEP_FILES = timedelta(days=7)


class ExportNotFound(DomainError, LookupError):
    """No such export job, or it belongs to someone else."""


def store_key(file_key: str) -> str:
    return f"exports/{file_key}"


def inline_limit() -> int:
    """Exports reading more rows than this run as a job (EXPORT_INLINE_ROWS)."""
    return int(current_app.config.get("EXPORT_INLINE_ROWS", 50_000))


def needs_job(name: str, cohort_id: int | None) -> bool:
    return row_count(name, cohort_id) > inline_limit()


def start_export(
    actor, name: str, fmt: str, cohort_id: int | None, raw: bool, locale: str
) -> ExportJob:
    """Record the job and queue it to run once this transaction commits (audited: an export
    carries personal data)."""
    dataset(name)  # KeyError for an unknown dataset
    if fmt not in FORMATS:
        raise ValueError(fmt)
    job = ExportJob(
        dataset=name,
        fmt=fmt,
        cohort_id=cohort_id,
        raw=raw,
        locale=locale,
        requested_by_id=actor.id,
        created_at=clock.now(),
    )
    db.session.add(job)
    db.session.flush()
    record(actor, "export.requested", job, after={"dataset": name, "cohort_id": cohort_id})
    app = current_app._get_current_object()
    after_commit(partial(dispatch, app, job.id))
    return job


def visible_job(user, job_id: int) -> ExportJob:
    """The job, when `user` asked for it or is an admin; raises ExportNotFound otherwise."""
    job = db.session.get(ExportJob, job_id)
    if job is None or (job.requested_by_id != user.id and not user.has_role(Role.ADMIN)):
        raise ExportNotFound(_l("No such export."))
    return job


def is_ready(job: ExportJob) -> bool:
    return job.status == "done" and bool(job.file_key) and storage.exists(store_key(job.file_key))


def file_content(job: ExportJob) -> bytes | None:
    """The finished file, or None (not done yet, or removed after KEEP_FILES)."""
    if job.status != "done" or not job.file_key:
        return None
    try:
        return storage.get(store_key(job.file_key))
    except FileNotFoundError:
        return None


def download_name(job: ExportJob) -> str:
    suffix = f"-cohort{job.cohort_id}" if job.cohort_id else ""
    return f"{job.dataset}{suffix}{'-raw' if job.raw else ''}.{job.fmt}"


# ---- running ---------------------------------------------------------------------------------


def redis_queue() -> Queue | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    connection = Redis.from_url(url, **current_app.config.get("REDIS_OPTIONS", {}))
    return Queue(QUEUE_NAME, connection=connection)


def dispatch(app: Flask, job_id: int) -> None:
    """Hand the job to RQ, or to a thread of this process when there is no Redis."""
    queue = redis_queue()
    if queue is not None:
        try:
            queue.enqueue(run_export, job_id, job_timeout=3600)
            return
        except RedisError as exc:
            log.warning("Redis unreachable (%s); export %s runs in this process", exc, job_id)
    threading.Thread(
        target=_run_in_thread, args=(app, job_id), name=f"export-{job_id}", daemon=True
    ).start()


def _run_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run_export(job_id)
        finally:
            db.session.remove()


def _set(job_id: int, **values) -> None:
    """Update the job in a transaction of its own: the export's reading transaction (and its
    server-side cursor) stays open meanwhile."""
    with write_intent(), db.engine.begin() as connection:
        connection.execute(update(ExportJob).where(ExportJob.id == job_id).values(**values))


def _claim(job_id: int) -> bool:
    with write_intent(), db.engine.begin() as connection:
        claimed = connection.execute(
            update(ExportJob)
            .where(ExportJob.id == job_id, ExportJob.status == "queued")
            .values(status="running", started_at=clock.now())
        )
    return claimed.rowcount == 1


def run_export(job_id: int) -> str:
    """Write the job's file (RQ entry point, thread target, resume job). Idempotent: a job
    another worker has claimed is left alone."""
    if not _claim(job_id):
        return f"export {job_id}: already taken"
    try:
        # Only reads here: under SQLite a write transaction would hold the lock that the
        # progress updates (another connection) wait for.
        with write_intent(False), tempfile.TemporaryFile() as target:
            job = db.session.get(ExportJob, job_id)
            key = f"{job.id}-{secrets.token_hex(8)}.{job.fmt}"
            with force_locale(job.locale):
                _set(job_id, total=row_count(job.dataset, job.cohort_id))
                rows = write_dataset(
                    target,
                    job.dataset,
                    job.fmt,
                    job.cohort_id,
                    job.raw,
                    progress=lambda n: _set(job_id, done=n),
                )
            db.session.rollback()  # end the reading transaction
            target.seek(0)
            content = target.read()
        with write_intent():
            storage.put(store_key(key), content)
            db.session.commit()  # the database store writes in the session's transaction
        _set(
            job_id,
            status="done",
            done=rows,
            total=rows,
            file_key=key,
            size=len(content),
            finished_at=clock.now(),
        )
        return f"export {job_id}: {rows} rows"
    except Exception as exc:  # the trainer sees the job failed; the log has the details
        log.exception("export %s failed", job_id)
        db.session.rollback()
        _set(
            job_id,
            status="failed",
            error=f"{type(exc).__name__}: {exc}"[:500],
            finished_at=clock.now(),
        )
        return f"export {job_id}: failed"


def resume_exports() -> str:
    """Job: run exports whose worker was lost; remove files older than KEEP_FILES."""
    now = clock.now()
    stuck = list(
        db.session.scalars(
            select(ExportJob.id).where(
                ExportJob.status == "queued", ExportJob.created_at < now - STUCK_AFTER
            )
        )
    )
    db.session.commit()
    outcomes = [run_export(job_id) for job_id in stuck]
    removed = 0
    for job in db.session.scalars(
        select(ExportJob).where(
            ExportJob.status == "done",
            ExportJob.file_key.is_not(None),
            ExportJob.finished_at < now - KEEP_FILES,
        )
    ):
        storage.delete(store_key(job.file_key))
        job.file_key = None
        removed += 1
    return f"{len(outcomes)} exports resumed, {removed} old files removed"

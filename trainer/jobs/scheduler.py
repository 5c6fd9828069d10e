"""The scheduler the product owns: when each registered job is due, run it (or queue it).

Without Redis, `trainer jobs` runs `serve()`: a loop in one process that runs every job
occurrence when it falls due, in the business time zone, and on start any occurrence that was
missed while it was down. With REDIS_URL, `trainer jobs` runs RQ's own cron scheduler instead,
which queues each occurrence for `trainer jobs worker`. Either way the occurrence is claimed
in `job_run`, so a second scheduler started by mistake runs nothing twice.
"""

import logging
import os
import threading
import time
from collections.abc import Callable

from flask import has_app_context
from redis import Redis
from rq.cron import CronScheduler

from trainer import clock
from trainer.jobs.registry import registry
from trainer.jobs.runner import RunResult, next_occurrence, occurrence, run_job

log = logging.getLogger(__name__)
JOBS_QUEUE = "trainer-jobs"
MAX_SLEEP = 30.0  # seconds; also how soon a stop request is noticed


def due_now(seen: dict[str, str]) -> list[tuple[str, str]]:
    """(job, occurrence) pairs that fell due since `seen` was last updated (updates it)."""
    due = []
    for spec in registry().all():
        slot = occurrence(spec).isoformat(timespec="minutes")
        if seen.get(spec.name) != slot:
            seen[spec.name] = slot
            due.append((spec.name, slot))
    return due


def seconds_until_next() -> float:
    now = clock.local(clock.now())
    waits = [(next_occurrence(spec) - now).total_seconds() for spec in registry().all()]
    return max(0.5, min([MAX_SLEEP, *waits]))


def serve(
    stop: threading.Event | None = None, report: Callable[[RunResult], None] = log.info
) -> None:
    """Run jobs as they fall due until `stop` is set (or the process is interrupted)."""
    stop = stop or threading.Event()
    seen: dict[str, str] = {}
    while not stop.is_set():
        for name, slot in due_now(seen):
            report(run_job(name, slot))
        stop.wait(seconds_until_next())


def run_queued_job(name: str) -> str:
    """What RQ runs for a scheduled occurrence, inside `trainer jobs worker`'s app context."""
    if not has_app_context():
        raise RuntimeError("run scheduled jobs with `trainer jobs worker`, which provides the app")
    return str(run_job(name, occurrence(registry().get(name)).isoformat(timespec="minutes")))


def serve_with_rq(redis_url: str) -> None:
    """Hand the schedule to RQ's cron scheduler, which queues each occurrence for the workers."""
    # RQ reads cron fields in the process's local time: make that the business time zone.
    os.environ["TZ"] = clock.business_zone().key
    time.tzset()
    scheduler = CronScheduler(connection=Redis.from_url(redis_url), name=f"trainer:{os.getpid()}")
    for spec in registry().all():
        scheduler.register(
            run_queued_job, JOBS_QUEUE, args=(spec.name,), cron=spec.cron, name=spec.name
        )
    scheduler.start()

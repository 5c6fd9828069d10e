"""The job registry: features register periodic jobs, `trainer jobs` runs them.

Anything that must happen because time passed (an exam's deadline, the 30th internship day,
a reminder, a certificate still to issue) is a job, never a side effect of a page view.
A feature registers its jobs in its `init_app`:

    jobs.register_job(app, "quizzes.close_overdue", close_overdue, cron="* * * * *")

The cron expression is read in the business time zone. Every job is idempotent and safe to run
twice at once; the scheduler also claims each occurrence in `job_run`, so two schedulers never
run the same occurrence. The registry lives on the app: `app.extensions["jobs"]`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from croniter import croniter
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from trainer.errors import DomainError

JobFunction = Callable[[], object]  # runs in an app context; returns a printable summary


class UnknownJob(DomainError, LookupError):
    """`trainer jobs run NAME` with a name no feature registered."""


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: JobFunction
    cron: str  # minute hour day month weekday, in the business time zone
    description: str = ""


class JobRegistry:
    def __init__(self) -> None:
        self._jobs: dict[str, JobSpec] = {}

    def register(self, spec: JobSpec) -> None:
        if not croniter.is_valid(spec.cron):
            raise ValueError(f"job {spec.name}: invalid cron expression {spec.cron!r}")
        self._jobs[spec.name] = spec

    def get(self, name: str) -> JobSpec:
        try:
            return self._jobs[name]
        except KeyError:
            raise UnknownJob(_l("No job named %(name)s."), name=name) from None

    def all(self) -> list[JobSpec]:
        return sorted(self._jobs.values(), key=lambda spec: spec.name)


def register_job(
    app: Flask, name: str, func: JobFunction, *, cron: str, description: str = ""
) -> None:
    app.extensions["jobs"].register(JobSpec(name, func, cron, description))


def registry() -> JobRegistry:
    return current_app.extensions["jobs"]


def register_queue(app: Flask, name: str) -> None:
    """An RQ queue of a feature's background work, served by `trainer jobs worker`."""
    queues = app.extensions["rq_queues"]
    if name not in queues:
        queues.append(name)

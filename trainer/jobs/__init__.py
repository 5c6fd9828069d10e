"""Scheduled jobs (`trainer jobs`): the registry on the app, the runner and the scheduler."""

from flask import Flask

from trainer.jobs import models  # noqa: F401  (the job_run table)
from trainer.jobs.cli import jobs_cli
from trainer.jobs.registry import JobRegistry, register_job
from trainer.jobs.runner import prune_runs


def init_app(app: Flask) -> None:
    app.extensions["jobs"] = JobRegistry()
    app.extensions["rq_queues"] = []
    app.cli.add_command(jobs_cli)
    register_job(app, "jobs.prune", prune_runs, cron="40 3 * * *", description="forget old runs")

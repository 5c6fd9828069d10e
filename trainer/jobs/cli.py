"""`trainer jobs`: the scheduler process, the RQ worker, and running one job by hand."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from redis import Redis
from rq import Queue, SimpleWorker

from trainer.jobs.registry import registry
from trainer.jobs.runner import run_job
from trainer.jobs.scheduler import JOBS_QUEUE, serve, serve_with_rq


@click.group("jobs", cls=AppGroup, invoke_without_command=True)
@click.pass_context
@with_appcontext
def jobs_cli(ctx: click.Context) -> None:
    """Scheduled jobs. Without a subcommand: run the scheduler until stopped."""
    if ctx.invoked_subcommand is not None:
        return
    redis_url = current_app.config.get("REDIS_URL")
    names = ", ".join(spec.name for spec in registry().all())
    if redis_url:
        click.echo(f"scheduling on RQ ({redis_url}) for `trainer jobs worker`: {names}")
        serve_with_rq(redis_url)
    else:
        click.echo(f"running scheduled jobs in this process: {names}")
        serve(report=lambda result: click.echo(str(result)))


@jobs_cli.command("list")
def list_command() -> None:
    """The registered jobs and when they run (cron, business time zone)."""
    for spec in registry().all():
        click.echo(f"{spec.name:32} {spec.cron:15} {spec.description}")


@jobs_cli.command("run")
@click.argument("name")
def run_command(name: str) -> None:
    """Run one job now (safe while the scheduler runs: every job is idempotent)."""
    try:
        result = run_job(name)
    except LookupError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(str(result))
    sys.exit(0 if result.outcome == "done" else 1)


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker_command(burst: bool) -> None:
    """Run queued work (scheduled jobs, bulk certificates) from REDIS_URL in this app."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.UsageError("set REDIS_URL for a worker; without Redis `trainer jobs` runs jobs")
    connection = Redis.from_url(url)
    queues = [Queue(name, connection=connection) for name in (JOBS_QUEUE, *worker_queues())]
    # SimpleWorker runs jobs in this process, inside this app context: no fork per job.
    SimpleWorker(queues, connection=connection).work(burst=burst)


def worker_queues() -> tuple[str, ...]:
    """Other features' RQ queues (e.g. bulk certificates), registered on the app."""
    return tuple(current_app.extensions.get("rq_queues", ()))

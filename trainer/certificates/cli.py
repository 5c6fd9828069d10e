"""`trainer certs …`: verify, issue for a cohort, list expiring, revoke, run the queue worker."""

import json
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from trainer.accounts.services import get_user_by_employee_no
from trainer.certificates.bulk import (
    QUEUE_NAME,
    enqueue_for_cohort,
    issue_for_cohort,
    qualifying_enrolments,
)
from trainer.certificates.documents import font_dir
from trainer.certificates.models import Certificate, CertificateBatch
from trainer.certificates.pdf import renderer_for
from trainer.certificates.services import (
    CertificateError,
    expiring,
    revoke_certificate,
    verify,
)
from trainer.extensions import db
from trainer.training.models import Cohort

certs_cli = AppGroup("certs", help="Post certificates (上岗证).")


@certs_cli.command("verify")
@click.argument("code")
def verify_command(code: str) -> None:
    """Print the certificate's status as JSON; exit 0 only when it is valid."""
    result = verify(code)
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    sys.exit(0 if result.status == "valid" else 1)


@certs_cli.command("issue")
@click.option("--cohort", "cohort_id", type=int, required=True, help="Cohort id.")
@click.option("--actor", default=None, help="Employee number recorded as the issuer.")
@click.option(
    "--queue",
    "use_queue",
    is_flag=True,
    help="Queue RQ jobs on REDIS_URL for `trainer certs worker` and follow their progress.",
)
@click.option("--no-wait", is_flag=True, help="With --queue: print the batch id and return.")
def issue_command(cohort_id: int, actor: str | None, use_queue: bool, no_wait: bool) -> None:
    """Issue certificates to everyone in the cohort who passed the final exam."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise click.UsageError(f"--cohort: no cohort with id {cohort_id}")
    user = get_user_by_employee_no(actor) if actor else None
    if actor and user is None:
        raise click.UsageError(f"--actor: no user with employee number {actor}")
    if use_queue:
        if not current_app.config.get("REDIS_URL"):
            raise click.UsageError("--queue needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
        batch = enqueue_for_cohort(cohort, user)
        db.session.commit()
        click.echo(f"batch {batch.id}: {batch.total} queued")
        if no_wait:
            return
        batch = follow(batch)
    else:
        total = len(qualifying_enrolments(cohort))
        with click.progressbar(length=total, label=f"{cohort.name}: issuing") as bar:
            batch = issue_for_cohort(cohort, user, progress=bar.update)
    click.echo(f"issued {batch.done}, failed {batch.failed}, of {batch.total}")
    for error in batch.errors:
        click.echo(f"  {error}", err=True)
    sys.exit(1 if batch.failed else 0)


def follow(batch: CertificateBatch) -> CertificateBatch:
    """Show the progress the workers record on the batch row until it is finished."""
    with click.progressbar(length=batch.total, label="issuing (workers)") as bar:
        shown = 0
        while True:
            db.session.expire_all()
            batch = db.session.get(CertificateBatch, batch.id)
            bar.update(batch.done + batch.failed - shown)
            shown = batch.done + batch.failed
            if batch.finished:
                return batch
            time.sleep(0.5)


@certs_cli.command("expiring")
@click.option("--days", default=60, show_default=True, help="Expiring within this many days.")
def expiring_command(days: int) -> None:
    """List current certificates that expire within DAYS (serial, name, hall, expiry)."""
    certificates = expiring(days)
    for cert in certificates:
        click.echo(
            f"{cert.serial}\t{cert.employee_no}\t{cert.holder_name}\t{cert.hall_name or '-'}\t"
            f"{cert.expires_on.isoformat()}"
        )
    click.echo(f"{len(certificates)} certificate(s) expire within {days} days", err=True)


@certs_cli.command("revoke")
@click.argument("serial")
@click.option("--reason", required=True, help="Why the certificate is revoked (audited).")
@click.option("--actor", required=True, help="Employee number of the trainer revoking it.")
def revoke_command(serial: str, reason: str, actor: str) -> None:
    """Revoke a certificate by serial number."""
    cert = db.session.scalar(select(Certificate).where(Certificate.serial == serial.upper()))
    if cert is None:
        raise click.UsageError(f"SERIAL: no certificate {serial}")
    user = get_user_by_employee_no(actor)
    if user is None:
        raise click.UsageError(f"--actor: no user with employee number {actor}")
    try:
        revoke_certificate(cert, user, reason)
    except CertificateError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"revoked {cert.serial}")


@certs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker for background issuance (needs REDIS_URL); one per core."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.UsageError("set REDIS_URL to run the certificate worker")
    renderer_for(str(font_dir()))  # load fonts and CSS once, before the first job
    connection = Redis.from_url(url)
    # SimpleWorker runs jobs in this process, inside this app context: no fork per job.
    SimpleWorker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(
        burst=burst
    )

"""`trainer internship …`: validate and load plan files, list overdue tasks, catch up stages."""

import logging
import smtplib
import sys
from email.message import EmailMessage
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from trainer.extensions import db
from trainer.internship.models import Placement
from trainer.internship.plan_files import PlanFileError, parse_plan_files
from trainer.internship.plans import load_plan_files
from trainer.internship.queries import overdue_by_mentor
from trainer.internship.services import sync_stage

internship_cli = AppGroup("internship", help="The mentored internship (传帮带).")
log = logging.getLogger(__name__)
PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))


@internship_cli.command("validate")
@PATHS
def validate_command(paths):
    """Check plan files (default: scripts_library/internship/) without loading them."""
    try:
        plans = parse_plan_files(list(paths) or None)
    except PlanFileError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    for plan in plans:
        required = sum(t.required for t in plan.tasks)
        click.echo(
            f"{plan.source_name}: ok ({plan.key}, {len(plan.tasks)} tasks, {required} required)"
        )


@internship_cli.command("load")
@PATHS
def load_command(paths):
    """Validate then load plan files, all or nothing; loading again changes nothing."""
    try:
        count, changed = load_plan_files(list(paths) or None)
    except PlanFileError as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"loaded {count} plans ({changed} new or changed)")


@internship_cli.command("overdue")
@click.option(
    "--notify",
    is_flag=True,
    help="Email each mentor their list (logged when MAIL_SERVER is not set).",
)
def overdue_command(notify):
    """List overdue internship tasks per mentor."""
    grouped = overdue_by_mentor()
    if not grouped:
        click.echo("no overdue tasks")
        return
    for mentor, rows in grouped.items():
        lines = [
            f"  {row.placement.enrolment.user.employee_no} {row.placement.enrolment.user.name}"
            f" · W{row.task.task.week} {row.task.task.title} · due {row.task.due.isoformat()}"
            f" · {row.task.observed}/{row.task.task.observations_needed}"
            for row in rows
        ]
        click.echo(f"{mentor.employee_no} {mentor.name}: {len(rows)} overdue")
        click.echo("\n".join(lines))
        if notify:
            _notify(mentor, lines)


def _notify(mentor, lines: list[str]) -> None:
    body = "以下带教任务已逾期，请尽快安排观察与签字：\n" + "\n".join(lines)
    server = current_app.config.get("MAIL_SERVER")
    if not server or not mentor.email:
        log.warning("overdue reminder for %s (no mail sent):\n%s", mentor.employee_no, body)
        click.echo(f"  (reminder logged for {mentor.employee_no}: no mail server or address)")
        return
    message = EmailMessage()
    message["Subject"] = "带教任务逾期提醒"
    message["From"] = current_app.config.get("MAIL_FROM", "trainer@localhost")
    message["To"] = mentor.email
    message.set_content(body)
    with smtplib.SMTP(server) as smtp:
        smtp.send_message(message)
    click.echo(f"  (reminder mailed to {mentor.email})")


@internship_cli.command("catch-up")
def catch_up_command():
    """Advance interning trainees whose days and sign-offs are now complete (run daily)."""
    moved = 0
    for placement in db.session.scalars(select(Placement).where(Placement.active)).unique():
        moved += bool(sync_stage(placement.enrolment, None))
    db.session.commit()
    click.echo(f"{moved} trainees completed the internship")

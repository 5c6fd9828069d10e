"""`trainer internship …`: validate and load plan files, list overdue tasks, catch up stages."""

from pathlib import Path

import click
from flask.cli import AppGroup

from trainer.extensions import db
from trainer.internship.plan_files import parse_plan_files
from trainer.internship.plans import load_plan_files
from trainer.internship.queries import overdue_by_mentor
from trainer.internship.reminders import overdue_lines, send_reminder
from trainer.internship.services import catch_up_internships
from trainer.source_files import exit_on_problems

internship_cli = AppGroup("internship", help="The mentored internship (传帮带).")
PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))


@internship_cli.command("validate")
@PATHS
def validate_command(paths):
    """Check plan files (default: scripts_library/internship/) without loading them."""
    with exit_on_problems():
        plans = parse_plan_files(list(paths) or None)
    for plan in plans:
        required = sum(t.required for t in plan.tasks)
        click.echo(
            f"{plan.source_name}: ok ({plan.key}, {len(plan.tasks)} tasks, {required} required)"
        )


@internship_cli.command("load")
@PATHS
def load_command(paths):
    """Validate then load plan files, all or nothing; loading again changes nothing."""
    with exit_on_problems(db.session.rollback):
        count, changed = load_plan_files(list(paths) or None)
    db.session.commit()
    click.echo(f"loaded {count} plans ({changed} new or changed)")


@internship_cli.command("overdue")
@click.option(
    "--notify",
    is_flag=True,
    help="Email each mentor their list (logged when MAIL_SERVER is not set).",
)
def overdue_command(notify):
    """List overdue internship tasks per mentor (the daily job sends the reminders)."""
    grouped = overdue_by_mentor()
    if not grouped:
        click.echo("no overdue tasks")
        return
    for mentor, rows in grouped.items():
        lines = overdue_lines(rows)
        click.echo(f"{mentor.employee_no} {mentor.name}: {len(rows)} overdue")
        click.echo("\n".join(lines))
        if notify:
            _mailed, delivery = send_reminder(mentor, rows)
            click.echo(f"  (reminder {delivery} for {mentor.employee_no})")


@internship_cli.command("catch-up")
def catch_up_command():
    """Advance interning trainees whose days and sign-offs are now complete (the daily job)."""
    summary = catch_up_internships()
    db.session.commit()
    click.echo(summary)

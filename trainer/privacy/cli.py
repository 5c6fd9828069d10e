"""`trainer privacy export|anonymise|purge`: personal-data requests from the command line."""

from pathlib import Path

import click
from flask.cli import AppGroup

from trainer.extensions import db
from trainer.privacy import retention, services
from trainer.privacy.services import PrivacyError

privacy_cli = AppGroup("privacy", help="Personal data: export, anonymise, retention purge.")


@privacy_cli.command("export")
@click.argument("employee_no")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_command(employee_no: str, out: Path) -> None:
    """Write everything about EMPLOYEE_NO (JSON and certificate PDFs) to a zip."""
    try:
        data = services.export_person(None, services.find_person(employee_no))
    except PrivacyError as exc:
        raise click.ClickException(str(exc)) from exc
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(data)
    partial.replace(out)
    db.session.commit()  # the audit entry, once the file is written
    click.echo(f"{out}: {len(data)} bytes")


@privacy_cli.command("anonymise")
@click.argument("employee_no")
@click.option("--yes", is_flag=True, help="do not ask (the change cannot be undone)")
def anonymise_command(employee_no: str, yes: bool) -> None:
    """Replace EMPLOYEE_NO's name, number, contacts and prose by a pseudonym; deactivate."""
    try:
        user = services.find_person(employee_no)
        if not yes:
            click.confirm(
                f"Anonymise {user.employee_no}? This cannot be undone.", abort=True, err=True
            )
        pseudonym = services.anonymise_person(None, user, user.employee_no)
    except PrivacyError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{employee_no} is now {pseudonym}")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="only count what would be removed")
def purge_command(dry_run: bool) -> None:
    """Remove personal data older than its retention period; print counts per kind."""
    counts = services.purge(None, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for kind in retention.KINDS:
        months, count = kind.months(), counts[kind.key]
        kept = "kept forever" if count is None else f"older than {months} months"
        verb = "would remove" if dry_run else "removed"
        click.echo(f"{kind.key:15} {verb} {0 if count is None else count:6}  ({kept})")

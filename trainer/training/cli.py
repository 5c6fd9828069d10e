"""`trainer programme create`: programmes from the console."""

import click
from flask.cli import AppGroup

from trainer.extensions import db
from trainer.training.services import get_or_create_programme

programme_cli = AppGroup("programmes", help="Certification programmes.")


@programme_cli.command("create")
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--internship-days", default=30, show_default=True)
@click.option("--exam-attempts", default=3, show_default=True)
@click.option("--certificate-valid-days", default=730, show_default=True)
def create_command(code, name, internship_days, exam_attempts, certificate_valid_days):
    """Create a programme (or show the existing one with that code)."""
    programme = get_or_create_programme(
        code,
        name,
        internship_days=internship_days,
        exam_attempts=exam_attempts,
        certificate_valid_days=certificate_valid_days,
    )
    db.session.commit()
    click.echo(f"programme {programme.id}: {programme.code} {programme.name}")

"""`trainer users create|import`: accounts from the console (CSV import all or nothing)."""

import sys

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trainer.accounts.models import Hall
from trainer.accounts.services import (
    AccountError,
    CsvImportError,
    create_user,
    import_users_file,
    parse_roles,
)
from trainer.extensions import db

users_cli = AppGroup("users", help="Create and import user accounts.")


@users_cli.command("create")
@click.option("--employee-no", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help="trainee, mentor, trainer or admin; repeat for several.",
)
@click.option("--hall", "hall_code", default=None, help="Hall code.")
@click.option("--email", default=None)
@click.password_option()
def create_command(employee_no, name, roles, hall_code, email, password):
    """Create a user."""
    try:
        hall = None
        if hall_code:
            hall = db.session.scalar(select(Hall).where(Hall.code == hall_code))
            if hall is None:
                raise AccountError(_l("unknown hall %(code)s"), code=hall_code)
        user = create_user(
            None,
            employee_no=employee_no,
            name=name,
            roles=parse_roles("|".join(roles)),
            password=password,
            hall=hall,
            email=email,
        )
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"created {user.employee_no} {user.name} ({', '.join(sorted(user.roles))})")


@users_cli.command("import")
@click.argument("users_file", type=click.File("rb"))
def import_command(users_file):
    """Import users from CSV (UTF-8 or GB18030) or XLSX, all or nothing."""
    try:
        created = import_users_file(None, users_file.read(), users_file.name)
    except CsvImportError as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"imported {len(created)} users")

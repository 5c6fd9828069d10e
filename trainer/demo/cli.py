"""`trainer seed-demo`: run every feature's demo seeder in order, once."""

import click
from faker import Faker
from flask.cli import with_appcontext

from trainer.accounts.services import get_user_by_employee_no
from trainer.extensions import db
from trainer.seeding import DEMO_PASSWORD, DemoContext, seeders


def print_logins() -> None:
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD})")
    for label, numbers in (
        ("admin", ["A0001"]),
        ("trainers", ["T0001", "T0002"]),
        ("mentors", ["M0001", "M0002", "M0003", "M0004"]),
        ("trainees", ["E0001 (just enrolled)", "…", "E0020 (certified)"]),
    ):
        click.echo(f"  {label:9} {', '.join(numbers)}")


@click.command("seed-demo")
@click.option("--seed", default=2026, show_default=True, help="Faker seed, for repeatable data.")
@with_appcontext
def seed_demo_command(seed: int) -> None:
    """Fill an empty database with demo halls, staff and 20 trainees over every stage."""
    if get_user_by_employee_no("A0001") is None:
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        ctx = DemoContext(fake=fake)
        for name, seeder in seeders():
            click.echo(f"seeding {name}…")
            seeder(ctx)
        db.session.commit()
    else:
        click.echo("demo data already present")
    print_logins()

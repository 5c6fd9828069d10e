"""`trainer practical …`: validate and load the practical-assessment checklists."""

from pathlib import Path

import click
from flask.cli import AppGroup

from trainer.extensions import db
from trainer.practical.checklist_files import parse_checklist_files
from trainer.practical.services import load_checklist_files
from trainer.source_files import exit_on_problems

practical_cli = AppGroup("practical", help="The practical assessment at the counter (实操考核).")
PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))


@practical_cli.command("validate")
@PATHS
def validate_command(paths):
    """Check checklist files (default: scripts_library/practical/) without loading them."""
    with exit_on_problems():
        checklists = parse_checklist_files(list(paths) or None)
    for checklist in checklists:
        critical = sum(item["critical"] for item in checklist.items)
        click.echo(
            f"{checklist.source_name}: ok ({checklist.key}, {len(checklist.items)} items,"
            f" {critical} critical, pass {checklist.pass_percent}%)"
        )


@practical_cli.command("load")
@PATHS
def load_command(paths):
    """Validate then load checklist files, all or nothing; loading again changes nothing."""
    with exit_on_problems(db.session.rollback):
        count, changed = load_checklist_files(list(paths) or None)
    db.session.commit()
    click.echo(f"loaded {count} checklists ({changed} new or changed)")

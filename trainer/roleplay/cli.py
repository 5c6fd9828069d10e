"""`trainer scenarios validate|load`: check and load scripts_library/scenarios/."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from trainer.extensions import db
from trainer.roleplay import library_refs
from trainer.roleplay.scenario_format import ScenarioFileError
from trainer.roleplay.scenario_store import check_directory, check_source, load_scenarios

scenarios_cli = AppGroup("scenarios", help="Role-play scenarios (模拟演练场景).")


@scenarios_cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check scenario files (default: scripts_library/scenarios/) without loading them.

    Reports unreachable turns, dead ends, missing rubrics and unknown procedure/step
    references as FILE:LINE: FIELD: MESSAGE; exits 1 when any file has a problem.
    """
    problems = []
    count = 0
    for path in paths or (library_refs.SCENARIOS_DIR,):
        try:
            if path.is_dir():
                count += len(check_directory(path))
            else:
                check_source(path.read_text(encoding="utf-8"), str(path))
                count += 1
        except ScenarioFileError as exc:
            problems.extend(exc.problems)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problems", err=True)
        sys.exit(1)
    click.echo(f"{count} scenarios OK")


@scenarios_cli.command("load")
@click.argument(
    "directory", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
def load_command(directory: Path | None) -> None:
    """Load every scenario of DIRECTORY (default scripts_library/scenarios/): all or nothing."""
    try:
        summary = load_scenarios(directory or library_refs.SCENARIOS_DIR)
    except ScenarioFileError as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo("nothing loaded", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(str(summary))


def load_library() -> str:
    """The library loader (order 20): raises on any invalid scenario, so nothing is loaded."""
    return str(load_scenarios(library_refs.SCENARIOS_DIR))

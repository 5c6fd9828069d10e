"""`trainer scenarios validate|load|score|evaluate`: check and load scripts_library/scenarios/,
score one reply, measure the scorer against labelled replies."""

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from trainer.extensions import db
from trainer.roleplay import library_refs
from trainer.roleplay.evaluation import EvaluationFileError, evaluate, format_report, read_labelled
from trainer.roleplay.scenario_format import ScenarioFileError
from trainer.roleplay.scenario_store import check_directory, check_source, load_scenarios
from trainer.roleplay.services import score_text

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


@scenarios_cli.command("score")
@click.argument("scenario_key")
@click.argument("turn_key")
@click.argument("text")
def score_command(scenario_key: str, turn_key: str, text: str) -> None:
    """Score TEXT as the reply to TURN_KEY of SCENARIO_KEY; print one JSON object."""
    try:
        result = score_text(scenario_key, turn_key, text)
    except LookupError as exc:
        click.echo(str(exc.args[0]), err=True)
        sys.exit(2)
    click.echo(json.dumps(result, ensure_ascii=False))


@scenarios_cli.command("evaluate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary figures as JSON.")
@click.option("--disagreements", is_flag=True, help="List every reply scored unlike its label.")
def evaluate_command(file: Path, as_json: bool, disagreements: bool) -> None:
    """Score every labelled reply of FILE (JSONL) and compare with the labels: per-element
    precision/recall, forbidden-phrase precision/recall, verdict agreement, confusion table."""
    try:
        labelled = read_labelled(file.read_text(encoding="utf-8").splitlines(), str(file))
        pairs = []
        for item in labelled:
            try:
                pairs.append((item, score_text(item["scenario"], item["turn"], item["text"])))
            except LookupError as exc:
                raise EvaluationFileError(f"{file}:{item['line']}: {exc.args[0]}") from exc
    except EvaluationFileError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    report = evaluate(pairs)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        click.echo(format_report(report, disagreements))


def load_library() -> str:
    """The library loader (order 20): raises on any invalid scenario, so nothing is loaded."""
    return str(load_scenarios(library_refs.SCENARIOS_DIR))

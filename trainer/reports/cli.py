"""`trainer reports …`: item analysis and exports from the command line."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from trainer.extensions import db
from trainer.quizzes.models import Quiz
from trainer.reports.exports import DATASETS, FORMATS, write_dataset
from trainer.reports.quiz_facts import AttemptWindow, analyse_quiz

reports_cli = AppGroup("reports", help="Item analysis and exports of results.")


@reports_cli.command("items")
@click.option("--quiz", "quiz_id", type=int, required=True, help="Quiz id.")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text")
@click.option("--first-only", is_flag=True, help="Only each trainee's first attempt.")
@click.option("--months", type=int, help="Only attempts submitted in the last N months.")
@click.option("--cohort", "cohort_id", type=int, help="Only this cohort's trainees.")
def items_command(
    quiz_id: int, fmt: str, first_only: bool, months: int | None, cohort_id: int | None
) -> None:
    """Item analysis of a quiz (facility, discrimination, Cronbach's alpha); every graded
    attempt unless --months or --cohort narrows it."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        raise click.ClickException(f"--quiz: no quiz with id {quiz_id}")
    report = analyse_quiz(
        quiz,
        first_only=first_only,
        with_answers=fmt == "text",
        window=AttemptWindow(cohort_id=cohort_id, months=months),
    )
    if fmt == "json":
        click.echo(json.dumps(report.to_contract(), ensure_ascii=False))
        return
    test = report.analysis.test
    click.echo(f"{quiz.title}: {test.attempts} attempts, {test.items} questions")
    if test.alpha is not None:
        click.echo(
            f"alpha {test.alpha:.3f}  SE {test.standard_error or 0:.2f}  "
            f"mean {test.mean:.2f}/{test.max_total:g}"
        )
    for q, item in zip(report.questions, report.analysis.items, strict=True):
        facility = "—" if item.facility is None else f"{100 * item.facility:5.1f}%"
        discrimination = "—" if item.discrimination is None else f"{item.discrimination:+.2f}"
        flags = ",".join(item.flags)
        click.echo(f"{facility:>7} {discrimination:>6} n={item.n:<5} {q.label} {flags}".rstrip())


@reports_cli.command("export")
@click.argument("dataset", type=click.Choice(sorted(DATASETS)))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv")
@click.option("--cohort", "cohort_id", type=int, help="Only this cohort's trainees.")
@click.option(
    "--raw",
    is_flag=True,
    help="Stable machine-readable columns and codes instead of the language's labels.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output).",
)
def export_command(
    dataset: str, fmt: str, cohort_id: int | None, raw: bool, out: Path | None
) -> None:
    """Export results, attempts, drill findings, sign-offs or the certificate register.

    Headers and values are in TRAINER_LOCALE's language unless --raw is given."""
    if out:
        with open(out, "wb") as target:
            rows = write_dataset(target, dataset, fmt, cohort_id=cohort_id, raw=raw)
        click.echo(f"{out}: {rows:,} rows, {out.stat().st_size:,} bytes", err=True)
    elif fmt == "xlsx":
        raise click.UsageError("--format xlsx needs --out FILE (a workbook is not a stream)")
    else:
        stdout = click.get_binary_stream("stdout")
        write_dataset(stdout, dataset, fmt, cohort_id=cohort_id, raw=raw)

"""`trainer banks import|export|list` and `trainer quizzes close-overdue`."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from trainer.extensions import db
from trainer.quizzes.bank_files import FORMATS, read_bank, write_bank
from trainer.quizzes.banks import export_questions, get_bank, import_questions
from trainer.quizzes.models import Question, QuestionBank
from trainer.quizzes.questions import BankImportError
from trainer.quizzes.services import close_overdue

banks_cli = AppGroup("banks", help="Import and export question banks (GIFT, YAML, JSON).")
quizzes_cli = AppGroup("quizzes", help="Quiz maintenance.")


@banks_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gift", "yaml", "json"]),
    default=None,
    help="Default: from the file extension.",
)
@click.option(
    "--bank", "bank_name", default=None, help="Bank name (default: the file's or its stem)."
)
def import_command(path: Path, fmt: str | None, bank_name: str | None) -> None:
    """Import FILE all-or-nothing; on any error print FILE:LINE: message and exit 1."""
    fmt = fmt or {".gift": "gift", ".txt": "gift", ".json": "json"}.get(path.suffix, "yaml")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        click.echo(f"{path}:1: not UTF-8 text ({exc.reason})", err=True)
        sys.exit(1)
    try:
        meta, questions = read_bank(text, fmt, str(path))
    except BankImportError as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        click.echo(f"{len(exc.errors)} errors; nothing imported.", err=True)
        sys.exit(1)
    name = bank_name or meta.get("name") or path.stem
    summary = import_questions(
        None, name, questions, title=meta.get("title"), description=meta.get("description")
    )
    db.session.commit()
    click.echo(str(summary))


@banks_cli.command("export")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="yaml", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
def export_command(name: str, fmt: str, out: Path | None) -> None:
    """Export bank NAME (current versions of its questions)."""
    bank = get_bank(name)
    if bank is None:
        raise click.ClickException(f"no bank named {name!r}")
    meta = {"name": bank.name, "title": bank.title, "description": bank.description}
    text = write_bank(meta, export_questions(bank), fmt)
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


@banks_cli.command("list")
def list_command() -> None:
    """List banks with their question counts."""
    rows = db.session.execute(
        select(QuestionBank.name, QuestionBank.title, func.count(Question.id))
        .outerjoin(Question)
        .group_by(QuestionBank.id)
        .order_by(QuestionBank.name)
    )
    for name, title, count in rows:
        click.echo(f"{name}\t{count}\t{title}")


@quizzes_cli.command("close-overdue")
def close_overdue_command() -> None:
    """Submit every attempt past its deadline (+ grace) with its saved answers."""
    count = close_overdue()
    db.session.commit()
    click.echo(f"{count} overdue attempts submitted")

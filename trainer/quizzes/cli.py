"""`trainer banks import|export|list` and `trainer quizzes close-overdue`."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import func, select

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.quizzes.bank_files import FORMATS, detect_format, read_bank_file
from trainer.quizzes.banks import export_bank_text, get_bank, import_bank_file
from trainer.quizzes.models import Question, QuestionBank
from trainer.quizzes.questions import BankImportError
from trainer.quizzes.services import close_overdue

banks_cli = AppGroup(
    "banks", help="Import and export question banks (GIFT, Moodle XML, YAML, JSON)."
)
quizzes_cli = AppGroup("quizzes", help="Quiz maintenance.")


@banks_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Default: from the file extension (.gift/.txt, .xml, .json, else YAML).",
)
@click.option(
    "--bank", "bank_name", default=None, help="Bank name (default: the file's or its stem)."
)
@click.option(
    "--skip-unsupported",
    is_flag=True,
    help="Moodle XML: import the rest when some questions are of a type this product lacks.",
)
def import_command(
    path: Path, fmt: str | None, bank_name: str | None, skip_unsupported: bool
) -> None:
    """Import FILE all-or-nothing; on any error print FILE:LINE: field: message and exit 1."""
    fmt = fmt or detect_format(path.name)
    try:
        with path.open("rb") as stream:
            bank_file = read_bank_file(stream, fmt, str(path), skip_unsupported=skip_unsupported)
        summary = import_bank_file(
            None, bank_name or bank_file.meta.get("name") or path.stem, bank_file, str(path)
        )
    except BankImportError as exc:
        db.session.rollback()
        for line in exc.lines():
            click.echo(line, err=True)
        click.echo(_("%(n)d errors; nothing imported.", n=len(exc.errors)), err=True)
        sys.exit(1)
    db.session.commit()
    for warning in bank_file.warnings:
        click.echo(_("warning: %(problem)s", problem=warning.in_file(str(path))), err=True)
    click.echo(str(summary))


EXTENSIONS = {"yaml": "yaml", "json": "json", "gift": "gift", "moodlexml": "xml"}


@banks_cli.command("export")
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="yaml", show_default=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file instead of standard output (with --all: this directory).",
)
@click.option(
    "--all", "every_bank", is_flag=True, help="Every bank, as question_banks/ writes them."
)
def export_command(name: str | None, fmt: str, out: Path | None, every_bank: bool) -> None:
    """Export bank NAME (current versions of its questions), or with --all every bank into
    the directory --out as NAME.yaml: commit them and the next `load-library` sees no
    difference."""
    if every_bank:
        if out is None or name:
            raise click.UsageError(_("--all writes to a directory: give --out DIR and no NAME"))
        out.mkdir(parents=True, exist_ok=True)
        banks = db.session.scalars(select(QuestionBank).order_by(QuestionBank.name)).all()
        for bank in banks:
            path = out / f"{bank.name}.{EXTENSIONS[fmt]}"
            path.write_text(_bank_text(bank, fmt), encoding="utf-8")
        click.echo(f"wrote {len(banks)} banks to {out}", err=True)
        return
    if not name:
        raise click.UsageError(_("give a bank NAME, or --all --out DIR"))
    bank = get_bank(name)
    if bank is None:
        raise click.ClickException(_("no bank named %(name)r", name=name))
    text = _bank_text(bank, fmt)
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


def _bank_text(bank: QuestionBank, fmt: str) -> str:
    try:
        return export_bank_text(bank, fmt)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None


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

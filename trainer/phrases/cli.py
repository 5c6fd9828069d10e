"""`trainer phrases check [--scenario ID] TEXT`: the JSON contract other checks rely on.

Prints {"forbidden": [...], "required": [...], "clean": bool}; exit code 0 when clean,
3 when anything forbidden was found, 2 for a usage error (e.g. an unknown scenario).
"""

import json

import click
from flask.cli import AppGroup

from trainer.phrases.engine import RequiredElement
from trainer.phrases.services import ScenariosUnavailable, check_reply, elements_for_scenario

phrases_cli = AppGroup("phrases", help="Forbidden phrases (服务禁语).")

EXIT_FORBIDDEN = 3


def required_elements(scenario: str | None) -> list[RequiredElement]:
    """A role-play scenario's required elements, as click errors (exit 2) when unavailable."""
    if not scenario:
        return []
    try:
        return elements_for_scenario(scenario)
    except ScenariosUnavailable as exc:
        raise click.UsageError(str(exc)) from exc
    except (LookupError, ValueError) as exc:
        raise click.BadParameter(f"unknown scenario '{scenario}'", param_hint="--scenario") from exc


@phrases_cli.command("check")
@click.option("--scenario", default=None, help="Role-play scenario id: also check its elements.")
@click.argument("text")
def check_command(scenario: str | None, text: str) -> None:
    """Check TEXT for forbidden phrases; print JSON; exit 3 when any is found."""
    findings = check_reply(text, required_elements(scenario))
    click.echo(json.dumps(findings.to_dict(), ensure_ascii=False))
    if not findings.clean:
        raise SystemExit(EXIT_FORBIDDEN)

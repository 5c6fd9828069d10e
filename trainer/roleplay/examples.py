"""Trainers teach the scorer: replies approved as examples of a rubric element.

An example belongs to one scenario, turn and element; later replies to that turn are scored
with it (scoring.score_reply's `learned`). Approving and removing are audited. Services
flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.audit.services import record
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.roleplay.element_match import Example
from trainer.roleplay.models import DrillStep, ElementExample, Scenario
from trainer.roleplay.scenario_model import Scenario as ScenarioSpec


class ExampleError(DomainError, ValueError):
    """A request that cannot become an example; the message is safe to show."""


def learned_examples(scenario_id: int, turn_key: str) -> Mapping[str, Sequence[Example]]:
    """The approved examples of one turn, per element key (oldest first)."""
    rows = db.session.scalars(
        select(ElementExample)
        .where(ElementExample.scenario_id == scenario_id, ElementExample.turn_key == turn_key)
        .order_by(ElementExample.id)
    )
    learned: dict[str, list[Example]] = {}
    for row in rows:
        learned.setdefault(row.element_key, []).append(Example(row.text, row.found))
    return learned


def examples_of(scenario: Scenario) -> list[ElementExample]:
    return list(
        db.session.scalars(
            select(ElementExample)
            .where(ElementExample.scenario_id == scenario.id)
            .order_by(ElementExample.turn_key, ElementExample.element_key, ElementExample.id)
        )
    )


def add_example(
    actor: User,
    scenario: Scenario,
    spec: ScenarioSpec,
    turn_key: str,
    element_key: str,
    text: str,
    found: bool,
    source_step: DrillStep | None = None,
) -> ElementExample:
    """Store `text` as a reply that has (found) or lacks the element; audited.

    Raises ExampleError for an unknown turn or element, an empty text or a duplicate.
    """
    text = (text or "").strip()
    if not turn_key:
        raise ExampleError(_l("Choose the typed-reply turn."))
    turn = spec.turns.get(turn_key)
    if turn is None or turn.kind != "reply":
        raise ExampleError(_l("Unknown typed turn %(turn)s."), turn=turn_key)
    if element_key not in {e.key for e in turn.rubric.elements}:
        raise ExampleError(_l("Unknown element %(key)s."), key=element_key)
    if not text or len(text) > 2000:
        raise ExampleError(_l("An example needs a reply of 1 to 2000 characters."))
    duplicate = db.session.scalar(
        select(ElementExample).where(
            ElementExample.scenario_id == scenario.id,
            ElementExample.turn_key == turn_key,
            ElementExample.element_key == element_key,
            ElementExample.text == text,
        )
    )
    if duplicate is not None:
        raise ExampleError(_l("This reply is already an example of that element."))
    example = ElementExample(
        scenario_id=scenario.id,
        turn_key=turn_key,
        element_key=element_key,
        text=text,
        found=found,
        source_step_id=source_step.id if source_step else None,
        created_by_id=actor.id,
    )
    db.session.add(example)
    db.session.flush()
    record(
        actor,
        "roleplay.example_added",
        example,
        after={"turn": turn_key, "element": element_key, "text": text, "found": found},
        reason=f"step {source_step.id}" if source_step else None,
    )
    return example


def approve_override_as_example(
    actor: User, step: DrillStep, element_key: str, spec: ScenarioSpec
) -> ElementExample:
    """The reply of a reviewed step becomes an example with the trainer's verdict."""
    override = next((o for o in step.overrides if o.element_key == element_key), None)
    if override is None:
        raise ExampleError(_l("Only an element you changed can become an example."))
    scenario = step.session.version.scenario
    return add_example(
        actor, scenario, spec, step.turn_key, element_key, step.reply_text, override.found, step
    )


def remove_example(actor: User, example: ElementExample) -> None:
    record(
        actor,
        "roleplay.example_removed",
        example,
        before={
            "turn": example.turn_key,
            "element": example.element_key,
            "text": example.text,
            "found": example.found,
        },
    )
    db.session.delete(example)
    db.session.flush()

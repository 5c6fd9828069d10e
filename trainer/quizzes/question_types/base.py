"""The contract every question type fulfils (CTFd's BaseChallenge, for questions).

A type is a class of pure functions over a question's `payload` (its type-specific data)
and a trainee's answer. Nothing here touches the database or Flask, so grading can be
tested exhaustively and the role-play feature can add its own type from its package. A type
that needs more than payload and answer to grade (the role-play type: the scenario's rubric,
the phrase matcher) gets it passed in as `resources`, gathered by the provider it registers.

Positions vs indexes: the browser only ever sees *display positions* of choices/items. The
permutation from positions to the payload's canonical indexes (the `layout`) stays on the
server, so neither the order nor the ids of choices can leak which one is correct.
"""

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

Payload = dict[str, Any]
Resources = Mapping[str, Any]  # what a type's resource provider gathered for one payload
Layout = dict[str, Any]
Fields = dict[str, list[str]]  # form fields of one question: suffix → values


@dataclass(frozen=True)
class Grade:
    """fraction in [0, 1] of the question's points, or None when a human must grade."""

    fraction: float | None
    feedback: list[str] = field(default_factory=list)

    @property
    def manual(self) -> bool:
        return self.fraction is None


def clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def permutation(count: int, rng: random.Random | None) -> list[int]:
    order = list(range(count))
    if rng is not None:
        rng.shuffle(order)
    return order


def first(fields: Fields, key: str = "") -> str:
    values = fields.get(key) or [""]
    return values[0] if values else ""


def position_index(layout_order: list[int], value: str) -> int | None:
    """Map a display position sent by the browser back to a canonical index, or None."""
    try:
        position = int(value)
    except (TypeError, ValueError):
        return None
    return layout_order[position] if 0 <= position < len(layout_order) else None


class QuestionType:
    name: ClassVar[str]
    label: ClassVar[str]  # English msgid; the UI translates it
    manual: ClassVar[bool] = False  # graded by a trainer (essay, role-play)

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        """Problems with the payload, as messages naming the field; empty when valid."""
        return []

    @classmethod
    def make_layout(cls, payload: Payload, rng: random.Random | None) -> Layout:
        """Display order for one attempt (rng None: canonical order)."""
        return {}

    @classmethod
    def public_view(cls, payload: Payload, layout: Layout) -> dict:
        """All the browser may see before submission: no fractions, feedback or keys."""
        return {}

    @classmethod
    def parse_answer(cls, payload: Payload, layout: Layout, fields: Fields) -> Any:
        """Turn submitted form fields into the stored answer (JSON-able), None if blank."""
        value = first(fields).strip()
        return value or None

    @classmethod
    def form_values(cls, payload: Payload, layout: Layout, answer: Any) -> Fields:
        """The inverse of parse_answer: what the form shows when the page is reloaded."""
        return {"": [answer]} if answer not in (None, "") else {}

    @classmethod
    def grade(cls, payload: Payload, answer: Any) -> Grade:
        raise NotImplementedError

    @classmethod
    def grade_with(cls, payload: Payload, answer: Any, resources: Resources) -> Grade:
        """What the engine calls: `grade`, given the resources the type's provider gathered.
        Types without a provider receive none and grade from payload and answer alone."""
        return cls.grade(payload, answer)

    @classmethod
    def describe_answer(cls, payload: Payload, answer: Any) -> str:
        """The trainee's answer as text, for the review page."""
        return "" if answer is None else str(answer)

    @classmethod
    def describe_correct(cls, payload: Payload) -> str:
        """The right answer as text, for the review page (after submission only)."""
        return ""

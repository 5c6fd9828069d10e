"""A role-play scenario as value objects: turns (choices or a typed reply with its rubric),
endings and the scenario itself, each remembering the lines of its source file.

Pure data; `scenario_format` builds them from YAML, `validation` checks their graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_PASS_MARK = 60
DEFAULT_FORBIDDEN_PENALTY = 2


@dataclass(frozen=True)
class Choice:
    text: str
    score: int
    feedback: str
    next: str | None = None
    ending: str | None = None


@dataclass(frozen=True)
class RubricElement:
    key: str
    label: str
    weight: int
    phrasings: tuple[str, ...]
    # example replies (text, has the element) that the scorer compares a reply with
    examples: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class Rubric:
    elements: tuple[RubricElement, ...]
    model: str  # "<procedure>.<step>" in scripts_library/procedures
    forbidden_penalty: int = DEFAULT_FORBIDDEN_PENALTY

    @property
    def max_points(self) -> int:
        return sum(e.weight for e in self.elements)


@dataclass(frozen=True)
class Turn:
    key: str
    kind: str
    customer: str
    action: str = ""  # what the customer does: 拍桌子, 看手表, 侧耳… (stage direction)
    mood: str = ""
    prompt: str = ""
    choices: tuple[Choice, ...] = ()
    rubric: Rubric | None = None
    next: str | None = None
    ending: str | None = None
    critical: bool = False  # the scene fails unless this turn is handled (see scoring)

    @property
    def max_points(self) -> int:
        if self.kind == "choice":
            return max((c.score for c in self.choices), default=0)
        return self.rubric.max_points if self.rubric else 0


@dataclass(frozen=True)
class Ending:
    key: str
    outcome: str
    text: str
    risky: str = ""  # told instead of `text` when a good ending was reached the risky way


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    procedure: str
    situation: str
    persona_name: str
    persona_description: str
    start: str
    turns: dict[str, Turn]
    endings: dict[str, Ending]
    channel: str = "counter"
    tags: tuple[str, ...] = ()
    pass_mark: int = DEFAULT_PASS_MARK
    required_for: tuple[str, ...] = ()  # programme codes whose pre-job path needs this drill
    file: str = ""
    lines: dict = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, *path) -> int | None:
        """The line of `path` or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def reply_turns(self) -> list[Turn]:
        return [t for t in self.turns.values() if t.kind == "reply"]

"""What a drill page shows: the scene so far as chat entries, with or without feedback.

Pure: takes the parsed scenario and the stored steps. Feedback (scores, choice feedback,
findings, model lines) is only included when `with_feedback` — exam mode withholds it
until the end, and the current turn never carries scores or rubrics (no answers before
submission).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from trainer.roleplay.scenario_model import Scenario, Turn
from trainer.roleplay.scoring import highlight_segments, reply_points


@dataclass
class Entry:
    turn: Turn
    step: object  # DrillStep
    choice_text: str = ""
    feedback: str = ""
    points: int = 0
    max_points: int = 0
    segments: list[dict] = field(default_factory=list)
    elements: list[dict] = field(default_factory=list)
    forbidden: list[dict] = field(default_factory=list)
    model_line: str = ""
    model_ref: str = ""
    penalty: int = 0


def transcript(
    spec: Scenario,
    steps: Sequence,
    with_feedback: bool,
    model_line_of: Callable[[str], str],
) -> list[Entry]:
    entries = []
    for step in steps:
        turn = spec.turns[step.turn_key]
        entry = Entry(turn=turn, step=step, points=step.points, max_points=step.max_points)
        if step.kind == "choice":
            choice = turn.choices[step.choice_index]
            entry.choice_text = choice.text
            if with_feedback:
                entry.feedback = choice.feedback
        else:
            entry.segments = [{"text": step.reply_text, "flagged": False, "findings": []}]
            if with_feedback and step.findings:
                overrides = step.override_map()
                entry.segments = highlight_segments(step.reply_text, step.findings["forbidden"])
                entry.forbidden = step.findings["forbidden"]
                entry.elements = [
                    {
                        **e,
                        "final": overrides.get(e["key"], e["found"]),
                        "overridden": e["key"] in overrides,
                    }
                    for e in step.findings["elements"]
                ]
                entry.penalty = reply_points(step.findings, overrides).penalty
                entry.model_ref = turn.rubric.model
                entry.model_line = model_line_of(turn.rubric.model)
        entries.append(entry)
    return entries

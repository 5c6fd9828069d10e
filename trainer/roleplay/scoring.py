"""Deterministic, transparent scoring of drill turns. Pure: no Flask, no database.

A free-text reply earns the weight of every rubric element it contains (by the phrase
engine's normalised matching), minus the rubric's penalty for every forbidden phrase used,
never below zero. A trainer may override any element (found or missing); the stored
findings stay as the machine saw them and the overrides are applied on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from trainer.phrases.engine import PhraseMatcher, RequiredElement, check
from trainer.roleplay.scenario_model import Rubric, Scenario, Turn


def required_elements(rubric: Rubric) -> list[RequiredElement]:
    return [RequiredElement(e.key, e.label, e.phrasings) for e in rubric.elements]


def score_reply(text: str, rubric: Rubric, matcher: PhraseMatcher) -> dict:
    """The findings of one reply, as stored on the drill step (JSON-safe)."""
    findings = check(text, matcher, required_elements(rubric))
    weights = {e.key: e.weight for e in rubric.elements}
    return {
        "elements": [
            {
                "key": f.key,
                "label": f.element,
                "weight": weights[f.key],
                "found": f.found,
                "matched": f.matched,
                "start": f.start,
                "end": f.end,
            }
            for f in findings.required
        ],
        "forbidden": [
            {
                "phrase": f.phrase,
                "matched": f.matched,
                "start": f.start,
                "end": f.end,
                "alternative": f.alternative,
                "rule_key": f.rule_key,
                "category": f.category,
            }
            for f in findings.forbidden
        ],
        "penalty_per_forbidden": rubric.forbidden_penalty,
        "phrase_version": matcher.version,
    }


@dataclass(frozen=True)
class ReplyPoints:
    earned: int
    max: int
    penalty: int
    found: tuple[str, ...]
    missing: tuple[str, ...]


def reply_points(findings: dict, overrides: Mapping[str, bool] | None = None) -> ReplyPoints:
    """Points of a reply from its stored findings, with a trainer's per-element overrides."""
    overrides = overrides or {}
    found, missing, earned, total = [], [], 0, 0
    for element in findings["elements"]:
        total += element["weight"]
        present = overrides.get(element["key"], element["found"])
        if present:
            earned += element["weight"]
            found.append(element["key"])
        else:
            missing.append(element["key"])
    penalty = findings["penalty_per_forbidden"] * len(findings["forbidden"])
    return ReplyPoints(max(0, earned - penalty), total, penalty, tuple(found), tuple(missing))


def highlight_segments(text: str, forbidden: Iterable[dict]) -> list[dict]:
    """`text` cut into plain and flagged pieces at the findings' exact offsets.

    Overlapping findings are merged into one flagged piece carrying every alternative.
    """
    spans = sorted((f["start"], f["end"], f) for f in forbidden)
    pieces: list[dict] = []
    cursor = 0
    for start, end, finding in spans:
        if pieces and pieces[-1]["flagged"] and start < pieces[-1]["end"]:
            last = pieces[-1]
            if end > last["end"]:
                last["text"] += text[last["end"] : end]
                last["end"] = end
            last["findings"].append(finding)
            cursor = max(cursor, end)
            continue
        if start > cursor:
            pieces.append(
                {
                    "text": text[cursor:start],
                    "flagged": False,
                    "start": cursor,
                    "end": start,
                    "findings": [],
                }
            )
        pieces.append(
            {
                "text": text[start:end],
                "flagged": True,
                "start": start,
                "end": end,
                "findings": [finding],
            }
        )
        cursor = end
    if cursor < len(text):
        pieces.append(
            {
                "text": text[cursor:],
                "flagged": False,
                "start": cursor,
                "end": len(text),
                "findings": [],
            }
        )
    return pieces


@dataclass(frozen=True)
class SceneResult:
    earned: int
    max: int
    percent: int
    outcome: str | None  # good | bad | None while the scene is still running
    passed: bool


def scene_result(
    scenario: Scenario, turn_points: Iterable[tuple[int, int]], ending: str | None
) -> SceneResult:
    """Per-scene score: earned over the best possible along the turns actually played.

    A bad ending fails the scene whatever the points; a good one passes at the pass mark.
    """
    earned = total = 0
    for got, best in turn_points:
        earned += got
        total += best
    percent = round(100 * earned / total) if total else 0
    outcome = scenario.endings[ending].outcome if ending else None
    return SceneResult(
        earned, total, percent, outcome, outcome == "good" and percent >= scenario.pass_mark
    )


def choice_points(turn: Turn, choice_index: int) -> tuple[int, int]:
    return turn.choices[choice_index].score, turn.max_points

"""Deterministic, transparent scoring of drill turns. Pure: no Flask, no database.

A free-text reply earns the weight of every rubric element it conveys (decided by meaning,
see element_match), minus the rubric's penalty once per forbidden phrase (overlapping
matches are one finding), never below zero. With the veto (禁语一票否决, on unless the
programme turns it off) any forbidden phrase fails the reply and the scene whatever the
points. A trainer may override any element; the stored findings stay as the machine saw
them and the overrides are applied on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from trainer.phrases.engine import PhraseMatcher, RequiredElement
from trainer.roleplay.element_match import (
    Example,
    Thesaurus,
    element_specs,
    load_thesaurus,
    needs_review,
    turn_scorer,
)
from trainer.roleplay.library_refs import THESAURUS_FILE
from trainer.roleplay.scenario_model import Rubric, Scenario, Turn


def required_elements(rubric: Rubric) -> list[RequiredElement]:
    return [RequiredElement(e.key, e.label, e.phrasings) for e in rubric.elements]


def default_thesaurus() -> Thesaurus:
    return load_thesaurus(THESAURUS_FILE)


def score_reply(
    text: str,
    rubric: Rubric,
    matcher: PhraseMatcher,
    *,
    learned: Mapping[str, Sequence[Example]] | None = None,
    thesaurus: Thesaurus | None = None,
) -> dict:
    """The findings of one reply, as stored on the drill step (JSON-safe).

    `learned` holds the example replies trainers approved, per element key.
    """
    forbidden = matcher.scan(text)
    scorer = turn_scorer(element_specs(rubric.elements, learned), thesaurus or default_thesaurus())
    decisions = scorer.decide(text, [(f.start, f.end) for f in forbidden])
    return {
        "elements": [
            {
                "key": element.key,
                "label": element.label,
                "weight": element.weight,
                "found": decision.found,
                "confidence": decision.confidence,
                "basis": decision.basis,
                "matched": decision.matched,
                "start": decision.start,
                "end": decision.end,
            }
            for element, decision in zip(rubric.elements, decisions, strict=True)
        ],
        "needs_review": needs_review(decisions),
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
            for f in forbidden
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


def reply_passes(
    findings: dict, pass_mark: int, overrides: Mapping[str, bool] | None = None, veto: bool = True
) -> bool:
    """A reply passes with at least `pass_mark` percent of its points and, under the veto,
    no forbidden phrase."""
    if veto and findings["forbidden"]:
        return False
    points = reply_points(findings, overrides)
    return points.max > 0 and 100 * points.earned >= pass_mark * points.max


def contract_view(findings: dict, pass_mark: int, veto: bool = True) -> dict:
    """The `trainer scenarios score` JSON object of a reply's findings."""
    points = reply_points(findings)
    return {
        "elements": {e["key"]: e["found"] for e in findings["elements"]},
        "confidence": {e["key"]: e["confidence"] for e in findings["elements"]},
        "forbidden": [
            {k: f[k] for k in ("phrase", "matched", "start", "end", "alternative")}
            for f in findings["forbidden"]
        ],
        "points": points.earned,
        "max": points.max,
        "verdict": "pass" if reply_passes(findings, pass_mark, veto=veto) else "fail",
        "needs_review": bool(findings.get("needs_review")),
    }


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
class Move:
    """One played turn as the scene total sees it."""

    turn_key: str
    points: int
    max: int
    forbidden: int = 0  # forbidden phrases used in this move (after merging overlaps)


@dataclass(frozen=True)
class SceneResult:
    earned: int
    max: int
    percent: int
    outcome: str | None  # good | bad | None while the scene is still running
    passed: bool
    path: str | None = None  # clean | risky | failed | None while running
    reasons: tuple[str, ...] = ()  # forbidden | below_mark | critical:<turn> | weak:<turn>


def _handled(move: Move, pass_mark: int) -> bool:
    return move.forbidden == 0 and 100 * move.points >= pass_mark * move.max


def scene_result(
    scenario: Scenario, moves: Iterable[Move], ending: str | None, *, veto: bool = True
) -> SceneResult:
    """Per-scene score: earned over the best possible along the turns actually played.

    A scene passes only at a good ending, with at least the pass mark, without a forbidden
    phrase (under the veto, 禁语一票否决) and with every critical turn played handled. The
    path tells a clean finish from a risky one (a good ending reached despite a forbidden
    phrase, a mishandled critical turn, a weak turn or too few points).
    """
    moves = list(moves)
    earned = sum(m.points for m in moves)
    total = sum(m.max for m in moves)
    percent = round(100 * earned / total) if total else 0
    outcome = scenario.endings[ending].outcome if ending else None
    reasons: list[str] = []
    if veto and any(m.forbidden for m in moves):
        reasons.append("forbidden")
    if percent < scenario.pass_mark:
        reasons.append("below_mark")
    for move in moves:
        turn = scenario.turns.get(move.turn_key)
        if turn is not None and turn.critical and not _handled(move, scenario.pass_mark):
            reasons.append(f"critical:{move.turn_key}")
    blocking = bool(reasons)
    reasons += [
        f"weak:{m.turn_key}"
        for m in moves
        if not _handled(m, scenario.pass_mark) and f"critical:{m.turn_key}" not in reasons
    ]
    passed = outcome == "good" and not blocking
    if outcome is None:
        path = None
    elif outcome == "bad":
        path = "failed"
    else:
        path = "risky" if reasons else "clean"
    return SceneResult(earned, total, percent, outcome, passed, path, tuple(reasons))


def choice_points(turn: Turn, choice_index: int) -> tuple[int, int]:
    return turn.choices[choice_index].score, turn.max_points

"""Scoring a practical assessment: pure, no database (unit-tested without Flask).

Each item earns its weight × the result's factor (met 1, partly 0.5, not met 0); the total
is a percentage of the checklist's weights. A pass needs the pass mark AND no critical item
"not met": a clerk who skips the real-name check fails however polite the rest was.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trainer.practical.models import ItemResult


@dataclass(frozen=True)
class Outcome:
    score: float
    max_score: float
    percent: float
    pass_percent: int
    critical_failures: tuple[str, ...]  # item keys

    @property
    def reached_pass_mark(self) -> bool:
        return self.percent >= self.pass_percent

    @property
    def passed(self) -> bool:
        return self.reached_pass_mark and not self.critical_failures


def score(
    items: Sequence[Mapping], results: Mapping[str, ItemResult], pass_percent: int
) -> Outcome:
    """Score `results` ({item key: result}) against `items`; every item must have a result
    (the service checks that first and names the missing ones)."""
    earned = sum(item["weight"] * results[item["key"]].factor for item in items)
    total = sum(item["weight"] for item in items)
    percent = round(100 * earned / total, 2) if total else 0.0
    failures = tuple(
        item["key"]
        for item in items
        if item["critical"] and results[item["key"]] is ItemResult.NOT_MET
    )
    return Outcome(round(earned, 2), float(total), percent, pass_percent, failures)

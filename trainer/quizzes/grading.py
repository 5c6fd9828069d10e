"""Grading rules, pure: one response, one attempt's total, and a grade across attempts.

Marks are computed in decimal arithmetic and compared unrounded (issue 13: 79.996 % must
not pass an 80 % mark). Every stored mark is a short decimal (fractions have at most seven
places, points a few), so `exact` recovers its decimal value from the stored float; pages
round only for display.
"""

from decimal import ROUND_FLOOR, Decimal

from trainer.quizzes.models import GradingMethod
from trainer.quizzes.question_types import NO_RESOURCES, Grade, Resources, get_question_type


def grade_answer(
    question_type: str, payload: dict, answer, resources: Resources = NO_RESOURCES
) -> Grade:
    """Never raises on a malformed stored answer: that is simply a wrong answer. `resources`
    are what the type's provider gathered (see question_types); pure types need none."""
    try:
        return get_question_type(question_type).grade_with(payload, answer, resources)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError):
        return Grade(0.0)


def exact(value: float | int | Decimal | None) -> Decimal:
    """The decimal a stored mark stands for (the shortest repr of a float is that decimal)."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def mark(fraction: float, points: float) -> Decimal:
    """A response's mark: fraction × points, exactly."""
    return exact(fraction) * exact(points)


def percent(score: float | Decimal, max_score: float | Decimal) -> float:
    """The score as a percentage, unrounded (as precise as a float holds it)."""
    return float(exact(score) * 100 / exact(max_score)) if max_score else 0.0


def is_pass(percent_value: float | None, pass_percent: float) -> bool:
    return percent_value is not None and exact(percent_value) >= exact(pass_percent)


def score_passes(score: float | Decimal, max_score: float | Decimal, pass_percent: float) -> bool:
    """score / max ≥ pass mark, compared without dividing or rounding anything."""
    if not max_score:
        return exact(pass_percent) <= 0
    return exact(score) * 100 >= exact(pass_percent) * exact(max_score)


def combined_grade(method: GradingMethod, percents_in_order: list[float]) -> float | None:
    """The quiz grade from the graded attempts' percentages, oldest first (None if none)."""
    if not percents_in_order:
        return None
    if method == GradingMethod.HIGHEST:
        return max(percents_in_order)
    if method == GradingMethod.FIRST:
        return percents_in_order[0]
    if method == GradingMethod.LAST:
        return percents_in_order[-1]
    return float(sum(map(exact, percents_in_order)) / len(percents_in_order))


def shown_percent(value: float | None) -> str:
    """A percentage for display: two places at most, rounded down, so a mark just under the
    pass mark never reads as the pass mark (79.996 → "79.99")."""
    rounded = exact(value).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    return f"{rounded.normalize():f}"

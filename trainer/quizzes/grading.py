"""Grading rules, pure: one response, one attempt's total, and a grade across attempts."""

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


def percent(score: float, max_score: float) -> float:
    return round(100 * score / max_score, 2) if max_score else 0.0


def is_pass(percent_value: float | None, pass_percent: float) -> bool:
    return percent_value is not None and percent_value + 1e-9 >= pass_percent


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
    return round(sum(percents_in_order) / len(percents_in_order), 2)

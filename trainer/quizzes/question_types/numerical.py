"""Numerical (数值题): a value with a tolerance (3 ± 0.5) or a range (1..5), bounds included.

Moodle's parts are kept: `{other: true}` is "any other answer" (its fraction and feedback
apply to any number no answer matches), and `units` ({name, multiplier}, the base unit has
multiplier 1) let a trainee answer "300 cm" for 3 m. With `unit_grading` 1 or 2 a missing or
unknown unit costs `unit_penalty` (of the response's grade, or of the question's), as in
Moodle; with 0 (the default) units are optional.
"""

import re

from trainer.quizzes.normalise import normalise_answer, parse_number
from trainer.quizzes.question_types.base import Grade, Payload, QuestionType, clamp

# Binary floating point makes 3.5 - 3 and 0.5 differ in the last bit; a bound is a bound.
EPSILON = 1e-9
_NUMBER_FIRST = re.compile(r"^([-+]?(?:\d+[.,]?\d*|[.,]\d+)(?:e[-+]?\d+)?)(.*)$")
_NUMBER_LAST = re.compile(r"^(.*?)([-+]?(?:\d+[.,]?\d*|[.,]\d+)(?:e[-+]?\d+)?)$")


def bounds(answer: dict) -> tuple[float, float]:
    if answer.get("other"):
        return float("-inf"), float("inf")
    if "min" in answer:
        return float(answer["min"]), float(answer["max"])
    value, tolerance = float(answer["value"]), abs(float(answer.get("tolerance", 0)))
    return value - tolerance, value + tolerance


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def validate_numeric_answers(answers, where: str = "answers") -> list[str]:
    if not isinstance(answers, list) or not answers:
        return [f"{where}: at least one numerical answer is needed"]
    errors = []
    for i, answer in enumerate(answers, 1):
        at = f"{where}[{i}]"
        if not isinstance(answer, dict):
            errors.append(f"{at}: must be a mapping")
            continue
        if answer.get("other"):
            pass
        elif "min" in answer or "max" in answer:
            if not (_is_number(answer.get("min")) and _is_number(answer.get("max"))):
                errors.append(f"{at}: a range needs numeric min and max")
            elif answer["min"] > answer["max"]:
                errors.append(f"{at}: min {answer['min']} is above max {answer['max']}")
        elif not _is_number(answer.get("value")):
            errors.append(f"{at}.value: must be a number")
        elif not _is_number(answer.get("tolerance", 0)):
            errors.append(f"{at}.tolerance: must be a number")
        fraction = answer.get("fraction", 1)
        if not _is_number(fraction) or not -1 <= fraction <= 1:
            errors.append(f"{at}.fraction: must be a number between -1 and 1")
    if not errors and all(a.get("other") for a in answers):
        errors.append(f"{where}: at least one answer must be a number or a range")
    return errors


def validate_units(payload: Payload) -> list[str]:
    units = payload.get("units", [])
    if not isinstance(units, list) or not all(
        isinstance(u, dict)
        and isinstance(u.get("name"), str)
        and u["name"].strip()
        and _is_number(u.get("multiplier", 1))
        and u.get("multiplier", 1) != 0
        for u in units
    ):
        return ["units: must be a list of {name, multiplier} with a non-zero multiplier"]
    if payload.get("unit_grading", 0) not in (0, 1, 2):
        return ["unit_grading: must be 0 (optional), 1 or 2 (penalised)"]
    penalty = payload.get("unit_penalty", 0.1)
    if not _is_number(penalty) or not 0 <= penalty <= 1:
        return ["unit_penalty: must be a number between 0 and 1"]
    return []


def read_response(payload: Payload, text: str | None) -> tuple[float | None, bool]:
    """The number typed, converted to the base unit, and whether its unit was right."""
    value = parse_number(text)
    units = payload.get("units") or []
    if value is not None or not units:
        return value, not units or not payload.get("unit_grading")
    cleaned = normalise_answer(text, case_sensitive=True).replace(",", ".")
    match = (_NUMBER_LAST if payload.get("units_left") else _NUMBER_FIRST).match(cleaned)
    if not match:
        return None, False
    number, unit = (match.group(2), match.group(1)) if payload.get("units_left") else match.groups()
    multipliers = {normalise_answer(u["name"], True): float(u.get("multiplier", 1)) for u in units}
    if unit not in multipliers:
        return float(number), False
    return float(number) / multipliers[unit], True


def apply_unit_penalty(payload: Payload, fraction: float, unit_right: bool) -> float:
    grading = payload.get("unit_grading", 0)
    if unit_right or not grading:
        return fraction
    penalty = float(payload.get("unit_penalty", 0.1))
    return max(0.0, fraction - penalty * fraction if grading == 1 else fraction - penalty)


def best_numeric(answers: list[dict], value: float) -> dict | None:
    """The matching answer with the highest fraction; `other` only when nothing else fits."""
    matches = [
        a
        for a in answers
        if not a.get("other") and bounds(a)[0] - EPSILON <= value <= bounds(a)[1] + EPSILON
    ]
    if matches:
        return max(matches, key=lambda a: a.get("fraction", 1))
    return next((a for a in answers if a.get("other")), None)


class Numerical(QuestionType):
    name = "numerical"
    label = "Numerical"

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        return validate_numeric_answers(payload.get("answers")) + validate_units(payload)

    @classmethod
    def parse_answer(cls, payload, layout, fields):
        text = (fields.get("") or [""])[0].strip()
        return text or None  # kept as typed, so the review shows what the trainee wrote

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        value, unit_right = read_response(payload, answer if isinstance(answer, str) else None)
        if value is None:
            return Grade(0.0)
        best = best_numeric(payload["answers"], value)
        if best is None:
            return Grade(0.0)
        fraction = apply_unit_penalty(payload, float(best.get("fraction", 1)), unit_right)
        return Grade(clamp(fraction), [best["feedback"]] if best.get("feedback") else [])

    @classmethod
    def describe_correct(cls, payload) -> str:
        return describe_numeric(payload["answers"], payload.get("units"))


def describe_numeric(answers: list[dict], units: list | None = None) -> str:
    best = max((a for a in answers if not a.get("other")), key=lambda a: a.get("fraction", 1))
    unit = f" {units[0]['name']}" if units else ""
    if "min" in best:
        return f"{best['min']:g} – {best['max']:g}{unit}"
    tolerance = best.get("tolerance", 0)
    return f"{best['value']:g}" + (f" ± {tolerance:g}" if tolerance else "") + unit

"""Numerical (数值题): a value with a tolerance (3 ± 0.5) or a range (1..5), bounds included."""

from trainer.quizzes.normalise import parse_number
from trainer.quizzes.question_types.base import Grade, Payload, QuestionType, clamp

# Binary floating point makes 3.5 - 3 and 0.5 differ in the last bit; a bound is a bound.
EPSILON = 1e-9


def bounds(answer: dict) -> tuple[float, float]:
    if "min" in answer:
        return float(answer["min"]), float(answer["max"])
    value, tolerance = float(answer["value"]), abs(float(answer.get("tolerance", 0)))
    return value - tolerance, value + tolerance


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Numerical(QuestionType):
    name = "numerical"
    label = "Numerical"

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        answers = payload.get("answers")
        if not isinstance(answers, list) or not answers:
            return ["answers: at least one numerical answer is needed"]
        errors = []
        for i, answer in enumerate(answers, 1):
            where = f"answers[{i}]"
            if not isinstance(answer, dict):
                errors.append(f"{where}: must be a mapping")
            elif "min" in answer or "max" in answer:
                if not (_is_number(answer.get("min")) and _is_number(answer.get("max"))):
                    errors.append(f"{where}: a range needs numeric min and max")
                elif answer["min"] > answer["max"]:
                    errors.append(f"{where}: min {answer['min']} is above max {answer['max']}")
            elif not _is_number(answer.get("value")):
                errors.append(f"{where}.value: must be a number")
            elif not _is_number(answer.get("tolerance", 0)):
                errors.append(f"{where}.tolerance: must be a number")
            fraction = answer.get("fraction", 1) if isinstance(answer, dict) else 1
            if not _is_number(fraction) or not -1 <= fraction <= 1:
                errors.append(f"{where}.fraction: must be a number between -1 and 1")
        return errors

    @classmethod
    def parse_answer(cls, payload, layout, fields):
        text = (fields.get("") or [""])[0].strip()
        return text or None  # kept as typed, so the review shows what the trainee wrote

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        value = parse_number(answer if isinstance(answer, str) else None)
        if value is None:
            return Grade(0.0)
        matches = [
            a
            for a in payload["answers"]
            if bounds(a)[0] - EPSILON <= value <= bounds(a)[1] + EPSILON
        ]
        best = max(matches, key=lambda a: a.get("fraction", 1), default=None)
        if best is None:
            return Grade(0.0)
        return Grade(
            clamp(float(best.get("fraction", 1))),
            [best["feedback"]] if best.get("feedback") else [],
        )

    @classmethod
    def describe_correct(cls, payload) -> str:
        best = max(payload["answers"], key=lambda a: a.get("fraction", 1))
        if "min" in best:
            return f"{best['min']:g} – {best['max']:g}"
        tolerance = best.get("tolerance", 0)
        return f"{best['value']:g}" + (f" ± {tolerance:g}" if tolerance else "")

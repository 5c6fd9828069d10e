"""Shared rules for the types whose payload is a list of weighted choices."""

from trainer.quizzes.question_types.base import Payload


def validate_choices(payload: Payload, minimum: int = 2) -> list[str]:
    choices = payload.get("choices")
    if not isinstance(choices, list) or len(choices) < minimum:
        return [f"choices: at least {minimum} choices are needed"]
    errors = []
    for i, choice in enumerate(choices, 1):
        if not isinstance(choice, dict) or not str(choice.get("text", "")).strip():
            errors.append(f"choices[{i}].text: a choice needs text")
            continue
        fraction = choice.get("fraction", 0)
        if not isinstance(fraction, int | float) or isinstance(fraction, bool):
            errors.append(f"choices[{i}].fraction: must be a number between -1 and 1")
        elif not -1 <= fraction <= 1:
            errors.append(f"choices[{i}].fraction: {fraction} is outside -1..1")
    return errors


def fractions(payload: Payload) -> list[float]:
    return [float(c.get("fraction", 0)) for c in payload["choices"]]


def public_choices(payload: Payload, order: list[int]) -> list[dict]:
    return [
        {"id": pos, "text": payload["choices"][index]["text"]} for pos, index in enumerate(order)
    ]


def feedback_for(payload: Payload, indexes) -> list[str]:
    return [fb for i in indexes if (fb := payload["choices"][i].get("feedback"))]

"""Shared rules for the types whose payload is a list of weighted choices."""

import random

from trainer.quizzes.question_types.base import Layout, Payload, QuestionType, permutation


def validate_choices(payload: Payload, minimum: int = 2, where: str = "choices") -> list[str]:
    choices = payload.get("choices")
    if not isinstance(choices, list) or len(choices) < minimum:
        return [f"{where}: at least {minimum} choices are needed"]
    errors = []
    for i, choice in enumerate(choices, 1):
        if not isinstance(choice, dict) or not str(choice.get("text", "")).strip():
            errors.append(f"{where}[{i}].text: a choice needs text")
            continue
        fraction = choice.get("fraction", 0)
        if not isinstance(fraction, int | float) or isinstance(fraction, bool):
            errors.append(f"{where}[{i}].fraction: must be a number between -1 and 1")
        elif not -1 <= fraction <= 1:
            errors.append(f"{where}[{i}].fraction: {fraction} is outside -1..1")
    return errors


def fractions(payload: Payload) -> list[float]:
    return [float(c.get("fraction", 0)) for c in payload["choices"]]


def public_choices(payload: Payload, order: list[int]) -> list[dict]:
    """Display id, text and (when it has its own) the text format of each choice."""
    return [
        with_format(
            {"id": pos, "text": payload["choices"][index]["text"]}, payload["choices"][index]
        )
        for pos, index in enumerate(order)
    ]


def with_format(view: dict, item: dict) -> dict:
    if item.get("format"):
        view["format"] = item["format"]
    return view


def feedback_for(payload: Payload, indexes) -> list[str]:
    return [fb for i in indexes if (fb := payload["choices"][i].get("feedback"))]


class ChoiceQuestion(QuestionType):
    """What single and multiple choice share: choices shown in a shuffled order."""

    @classmethod
    def make_layout(cls, payload: Payload, rng: random.Random | None) -> Layout:
        return {"order": permutation(len(payload["choices"]), rng)}

    @classmethod
    def public_view(cls, payload: Payload, layout: Layout) -> dict:
        return {"choices": public_choices(payload, layout["order"])}

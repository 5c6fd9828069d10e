"""Single choice (单选题): one answer; a choice may carry partial credit."""

from trainer.quizzes.question_types.base import Grade, Payload, clamp, first, position_index
from trainer.quizzes.question_types.choices import (
    ChoiceQuestion,
    feedback_for,
    fractions,
    validate_choices,
)


class SingleChoice(ChoiceQuestion):
    name = "single_choice"
    label = "Single choice"

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        errors = validate_choices(payload)
        if not errors and max(fractions(payload)) != 1:
            errors.append("choices: exactly one choice must be fully correct (fraction 1)")
        return errors

    @classmethod
    def parse_answer(cls, payload, layout, fields):
        return position_index(layout["order"], first(fields))

    @classmethod
    def form_values(cls, payload, layout, answer):
        if answer is None or answer not in layout["order"]:
            return {}
        return {"": [str(layout["order"].index(answer))]}

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        if not isinstance(answer, int) or not 0 <= answer < len(payload["choices"]):
            return Grade(0.0)
        return Grade(clamp(fractions(payload)[answer]), feedback_for(payload, [answer]))

    @classmethod
    def describe_answer(cls, payload, answer) -> str:
        if not isinstance(answer, int) or not 0 <= answer < len(payload["choices"]):
            return ""
        return payload["choices"][answer]["text"]

    @classmethod
    def describe_correct(cls, payload) -> str:
        return next(c["text"] for c in payload["choices"] if c.get("fraction", 0) == 1)

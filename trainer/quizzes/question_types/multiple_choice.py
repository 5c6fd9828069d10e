"""Multiple choice (多选题): several answers; weights give partial credit, wrong picks may cost.

The score is the sum of the picked choices' fractions, clamped to 0..1, so picking every
choice never beats knowing the answer when wrong choices carry negative weights.
"""

from trainer.quizzes.question_types.base import Grade, Payload, clamp, position_index
from trainer.quizzes.question_types.choices import (
    ChoiceQuestion,
    feedback_for,
    fractions,
    validate_choices,
)


class MultipleChoice(ChoiceQuestion):
    name = "multiple_choice"
    label = "Multiple choice"

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        errors = validate_choices(payload)
        if errors:
            return errors
        positive = sum(f for f in fractions(payload) if f > 0)
        if abs(positive - 1) > 0.011:
            errors.append(
                f"choices: the positive fractions must add up to 1 (they add up to {positive:g})"
            )
        return errors

    @classmethod
    def parse_answer(cls, payload, layout, fields):
        picked = {position_index(layout["order"], v) for v in fields.get("", [])}
        picked.discard(None)
        return sorted(picked) or None

    @classmethod
    def form_values(cls, payload, layout, answer):
        order = layout["order"]
        return {"": [str(order.index(i)) for i in answer or [] if i in order]}

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        count = len(payload["choices"])
        picked = sorted({i for i in answer or [] if isinstance(i, int) and 0 <= i < count})
        weights = fractions(payload)
        return Grade(clamp(sum(weights[i] for i in picked)), feedback_for(payload, picked))

    @classmethod
    def describe_answer(cls, payload, answer) -> str:
        count = len(payload["choices"])
        return "；".join(
            payload["choices"][i]["text"] for i in answer or [] if isinstance(i, int) and i < count
        )

    @classmethod
    def describe_correct(cls, payload) -> str:
        return "；".join(c["text"] for c in payload["choices"] if c.get("fraction", 0) > 0)

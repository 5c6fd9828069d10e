"""True/false (判断题)."""

from flask_babel import gettext as _

from trainer.quizzes.question_types.base import Grade, Payload, QuestionType, first


def _verdict(value: bool) -> str:
    """✔ True / ✘ False: the mark alone is easy to misread, so the word goes beside it."""
    return f"✔ {_('True')}" if value else f"✘ {_('False')}"


class TrueFalse(QuestionType):
    name = "true_false"
    label = "True/false"

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        if not isinstance(payload.get("answer"), bool):
            return ["answer: must be true or false"]
        return []

    @classmethod
    def parse_answer(cls, payload, layout, fields):
        return {"true": True, "false": False}.get(first(fields))

    @classmethod
    def form_values(cls, payload, layout, answer):
        return {} if answer is None else {"": ["true" if answer else "false"]}

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        if not isinstance(answer, bool):
            return Grade(0.0)
        feedback = payload.get("feedback_true" if answer else "feedback_false")
        return Grade(1.0 if answer == payload["answer"] else 0.0, [feedback] if feedback else [])

    @classmethod
    def describe_answer(cls, payload, answer) -> str:
        return _verdict(answer) if isinstance(answer, bool) else ""

    @classmethod
    def describe_correct(cls, payload) -> str:
        return _verdict(payload["answer"])

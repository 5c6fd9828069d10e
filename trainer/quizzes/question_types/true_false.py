"""True/false (判断题)."""

from trainer.quizzes.question_types.base import Grade, Payload, QuestionType, first


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
        return {True: "✔", False: "✘"}.get(answer, "")

    @classmethod
    def describe_correct(cls, payload) -> str:
        return "✔" if payload["answer"] else "✘"

"""Essay (论述/情景题): free text graded by a trainer against the rubric."""

from trainer.quizzes.question_types.base import Grade, Payload, QuestionType


class Essay(QuestionType):
    name = "essay"
    label = "Essay"
    manual = True

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        rubric = payload.get("rubric", "")
        return [] if isinstance(rubric, str) else ["rubric: must be text"]

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        return Grade(None)

    @classmethod
    def describe_correct(cls, payload) -> str:
        return payload.get("rubric", "")

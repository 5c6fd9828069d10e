"""Short answer (简答/填空): several accepted answers, compared after normalisation."""

from trainer.quizzes.normalise import normalise_answer
from trainer.quizzes.question_types.base import Grade, Payload, QuestionType, clamp


def validate_answers(answers, where: str = "answers") -> list[str]:
    if not isinstance(answers, list) or not answers:
        return [f"{where}: at least one accepted answer is needed"]
    errors = []
    for i, answer in enumerate(answers, 1):
        if not isinstance(answer, dict) or not normalise_answer(str(answer.get("text", ""))):
            errors.append(f"{where}[{i}].text: an accepted answer needs text")
            continue
        fraction = answer.get("fraction", 1)
        if not isinstance(fraction, int | float) or isinstance(fraction, bool):
            errors.append(f"{where}[{i}].fraction: must be a number between -1 and 1")
        elif not -1 <= fraction <= 1:
            errors.append(f"{where}[{i}].fraction: {fraction} is outside -1..1")
    if not errors and max(float(a.get("fraction", 1)) for a in answers) <= 0:
        errors.append(f"{where}: one answer must give credit")
    return errors


def best_match(answers: list[dict], typed: str | None) -> dict | None:
    """The accepted answer with the highest fraction that equals `typed` once normalised."""
    wanted = normalise_answer(typed)
    if not wanted:
        return None
    matches = [a for a in answers if normalise_answer(str(a["text"])) == wanted]
    return max(matches, key=lambda a: a.get("fraction", 1), default=None)


class ShortAnswer(QuestionType):
    name = "short_answer"
    label = "Short answer"

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        return validate_answers(payload.get("answers"))

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        match = best_match(payload["answers"], answer if isinstance(answer, str) else None)
        if match is None:
            return Grade(0.0)
        feedback = [match["feedback"]] if match.get("feedback") else []
        return Grade(clamp(float(match.get("fraction", 1))), feedback)

    @classmethod
    def describe_correct(cls, payload) -> str:
        return " / ".join(a["text"] for a in payload["answers"] if a.get("fraction", 1) == 1)

"""Short answer (简答/填空): several accepted answers, compared after normalisation.

As in Moodle, `*` in an accepted answer matches any run of characters (`\\*` is a literal
asterisk), so `*` alone is "any other answer" and carries the feedback for wrong answers.
`case_sensitive` (Moodle's usecase) keeps letter case significant.
"""

import re
from functools import lru_cache

from trainer.quizzes.normalise import normalise_answer
from trainer.quizzes.question_types.base import Grade, Payload, QuestionType, clamp

_WILDCARDS = re.compile(r"(?<!\\)\*+")


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


def is_pattern(text: str) -> bool:
    return _WILDCARDS.search(text) is not None


@lru_cache(maxsize=4096)
def pattern(text: str, case_sensitive: bool) -> re.Pattern:
    """An accepted answer with wildcards as a regex over normalised responses."""
    pieces = [
        re.escape(normalise_answer(piece.replace("\\*", "*"), case_sensitive))
        for piece in _WILDCARDS.split(text)
    ]
    return re.compile("^" + ".*".join(pieces) + "$", re.DOTALL)


def best_match(answers: list[dict], typed: str | None, case_sensitive: bool = False) -> dict | None:
    """The accepted answer matching `typed` once normalised.

    Exact answers win (the best fraction among them); otherwise the first wildcard answer
    that matches, in order, as Moodle does, so a trailing `*` catches everything else.
    """
    wanted = normalise_answer(typed, case_sensitive)
    if not wanted:
        return None
    exact = [
        a
        for a in answers
        if not is_pattern(str(a["text"]))
        and normalise_answer(str(a["text"]).replace("\\*", "*"), case_sensitive) == wanted
    ]
    if exact:
        return max(exact, key=lambda a: a.get("fraction", 1))
    return next(
        (
            a
            for a in answers
            if is_pattern(str(a["text"])) and pattern(str(a["text"]), case_sensitive).match(wanted)
        ),
        None,
    )


class ShortAnswer(QuestionType):
    name = "short_answer"
    label = "Short answer"

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        errors = validate_answers(payload.get("answers"))
        if not isinstance(payload.get("case_sensitive", False), bool):
            errors.append("case_sensitive: must be true or false")
        return errors

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        match = best_match(
            payload["answers"],
            answer if isinstance(answer, str) else None,
            bool(payload.get("case_sensitive")),
        )
        if match is None:
            return Grade(0.0)
        feedback = [match["feedback"]] if match.get("feedback") else []
        return Grade(clamp(float(match.get("fraction", 1))), feedback)

    @classmethod
    def describe_correct(cls, payload) -> str:
        return " / ".join(
            a["text"]
            for a in payload["answers"]
            if a.get("fraction", 1) == 1 and not is_pattern(str(a["text"]))
        ) or " / ".join(a["text"] for a in payload["answers"] if a.get("fraction", 1) == 1)

"""Cloze (完形填空): blanks `{1}`, `{2}` … in the question text, typed or picked from a list.

A blank either accepts typed answers (normalised like short answers) or, when `dropdown`,
offers all its answers as a list. Each blank is worth the same share of the question.
"""

import random
import re

from trainer.quizzes.question_types.base import (
    Grade,
    Layout,
    Payload,
    QuestionType,
    clamp,
    first,
    permutation,
    position_index,
)
from trainer.quizzes.question_types.short_answer import best_match, validate_answers

BLANK = re.compile(r"\{(\d+)\}")


def blank_numbers(text: str) -> list[int]:
    return [int(n) for n in BLANK.findall(text or "")]


class Cloze(QuestionType):
    name = "cloze"
    label = "Cloze"

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        blanks = payload.get("blanks")
        if not isinstance(blanks, list) or not blanks:
            return ["blanks: at least one blank is needed"]
        errors = []
        for i, blank in enumerate(blanks, 1):
            if not isinstance(blank, dict):
                errors.append(f"blanks[{i}]: must be a mapping")
                continue
            errors += validate_answers(blank.get("answers"), f"blanks[{i}].answers")
        return errors

    @classmethod
    def validate_text(cls, text: str, payload: Payload) -> list[str]:
        expected = list(range(1, len(payload.get("blanks") or []) + 1))
        if sorted(blank_numbers(text)) != expected:
            return [
                f"text: must contain the blanks {' '.join(f'{{{n}}}' for n in expected)} once each"
            ]
        return []

    @classmethod
    def make_layout(cls, payload: Payload, rng: random.Random | None) -> Layout:
        return {
            "options": [
                permutation(len(b["answers"]), rng or random.Random())
                if b.get("dropdown")
                else None
                for b in payload["blanks"]
            ]
        }

    @classmethod
    def public_view(cls, payload: Payload, layout: Layout) -> dict:
        blanks = []
        for blank, order in zip(payload["blanks"], layout["options"], strict=True):
            options = None
            if order is not None:
                options = [
                    {"id": pos, "text": blank["answers"][i]["text"]} for pos, i in enumerate(order)
                ]
            blanks.append({"options": options})
        return {"blanks": blanks}

    @classmethod
    def parse_answer(cls, payload, layout, fields):
        """Answer: one typed text per blank (a picked option is stored as its text)."""
        answer = []
        for n, (blank, order) in enumerate(zip(payload["blanks"], layout["options"], strict=True)):
            value = first(fields, str(n)).strip()
            if order is not None:
                index = position_index(order, value)
                value = blank["answers"][index]["text"] if index is not None else ""
            answer.append(value)
        return answer if any(answer) else None

    @classmethod
    def form_values(cls, payload, layout, answer):
        values = {}
        for n, (blank, order) in enumerate(zip(payload["blanks"], layout["options"], strict=True)):
            text = (answer or [])[n] if n < len(answer or []) else ""
            if not text:
                continue
            if order is None:
                values[str(n)] = [text]
            else:
                texts = [blank["answers"][i]["text"] for i in order]
                if text in texts:
                    values[str(n)] = [str(texts.index(text))]
        return values

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        answer = answer if isinstance(answer, list) else []
        total, feedback = 0.0, []
        for n, blank in enumerate(payload["blanks"]):
            typed = answer[n] if n < len(answer) and isinstance(answer[n], str) else None
            match = best_match(blank["answers"], typed)
            if match is not None:
                total += float(match.get("fraction", 1))
                if match.get("feedback"):
                    feedback.append(match["feedback"])
        return Grade(clamp(total / len(payload["blanks"])), feedback)

    @classmethod
    def describe_answer(cls, payload, answer) -> str:
        return " | ".join(a or "—" for a in answer or [])

    @classmethod
    def describe_correct(cls, payload) -> str:
        return " | ".join(
            next(a["text"] for a in b["answers"] if a.get("fraction", 1) == 1)
            for b in payload["blanks"]
        )

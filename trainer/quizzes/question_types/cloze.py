"""Cloze (完形填空): blanks `{1}`, `{2}` … in the question text, typed or picked from a list.

A blank either accepts typed answers (normalised like short answers, `case_sensitive` as
Moodle's SHORTANSWER_C), takes a number (`numerical`: answers as in numerical questions),
or, when `dropdown`, offers all its answers as a list; a `multiple` blank offers them as
boxes to tick (Moodle's MULTIRESPONSE: the picked fractions add up). A blank's share of
the question is its `weight` (default 1) over the sum of weights, Moodle's marks of
embedded answers.
"""

import random
import re

from trainer.quizzes.normalise import parse_number
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
from trainer.quizzes.question_types.choices import validate_choices
from trainer.quizzes.question_types.numerical import (
    best_numeric,
    describe_numeric,
    validate_numeric_answers,
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
            if blank.get("numerical"):
                errors += validate_numeric_answers(blank.get("answers"), f"blanks[{i}].answers")
            elif blank.get("multiple"):
                errors += validate_choices(
                    {"choices": blank.get("answers")}, where=f"blanks[{i}].answers"
                )
            else:
                errors += validate_answers(blank.get("answers"), f"blanks[{i}].answers")
            weight = blank.get("weight", 1)
            if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
                errors.append(f"blanks[{i}].weight: must be a positive number")
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
                if b.get("dropdown") or b.get("multiple")
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
            blanks.append({"options": options, "multiple": bool(blank.get("multiple"))})
        return {"blanks": blanks}

    @classmethod
    def parse_answer(cls, payload, layout, fields):
        """Answer: one typed text per blank (a picked option is stored as its text)."""
        answer = []
        for n, (blank, order) in enumerate(zip(payload["blanks"], layout["options"], strict=True)):
            if blank.get("multiple"):
                picked = {position_index(order, v) for v in fields.get(str(n), [])} - {None}
                answer.append([blank["answers"][i]["text"] for i in sorted(picked)])
                continue
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
            texts = [blank["answers"][i]["text"] for i in order or []]
            if blank.get("multiple"):
                values[str(n)] = [str(texts.index(t)) for t in text if t in texts]
            elif order is None:
                values[str(n)] = [text]
            elif text in texts:
                values[str(n)] = [str(texts.index(text))]
        return values

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        answer = answer if isinstance(answer, list) else []
        total, feedback = 0.0, []
        weights = [float(b.get("weight", 1)) for b in payload["blanks"]]
        for n, blank in enumerate(payload["blanks"]):
            given = answer[n] if n < len(answer) else None
            if blank.get("multiple"):
                picked = [
                    a for a in blank["answers"] if isinstance(given, list) and a["text"] in given
                ]
                total += clamp(sum(float(a.get("fraction", 0)) for a in picked)) * weights[n]
                feedback += [a["feedback"] for a in picked if a.get("feedback")]
                continue
            match = blank_match(blank, given if isinstance(given, str) else None)
            if match is not None:
                total += float(match.get("fraction", 1)) * weights[n]
                if match.get("feedback"):
                    feedback.append(match["feedback"])
        return Grade(clamp(total / sum(weights)), feedback)

    @classmethod
    def describe_answer(cls, payload, answer) -> str:
        return " | ".join(("、".join(a) if isinstance(a, list) else a) or "—" for a in answer or [])

    @classmethod
    def describe_correct(cls, payload) -> str:
        return " | ".join(describe_blank(b) for b in payload["blanks"])


def describe_blank(blank: dict) -> str:
    if blank.get("numerical"):
        return describe_numeric(blank["answers"])
    if blank.get("multiple"):
        return "、".join(a["text"] for a in blank["answers"] if a.get("fraction", 0) > 0)
    return max(blank["answers"], key=lambda a: a.get("fraction", 1))["text"]


def blank_match(blank: dict, typed: str | None) -> dict | None:
    if blank.get("numerical"):
        value = parse_number(typed)
        return None if value is None else best_numeric(blank["answers"], value)
    return best_match(blank["answers"], typed, bool(blank.get("case_sensitive")))

"""Matching (配对题): pair each left item with one of the right items; credit per pair.

Two left items may share a right item; `distractors` are extra right items that match nothing.
"""

import random

from trainer.quizzes.question_types.base import (
    Grade,
    Layout,
    Payload,
    QuestionType,
    first,
    permutation,
    position_index,
)
from trainer.quizzes.question_types.choices import with_format


def options(payload: Payload) -> list[str]:
    """The right-hand items, each once, in canonical order."""
    seen: dict[str, None] = {}
    for text in [p["right"] for p in payload["pairs"]] + list(payload.get("distractors", [])):
        seen.setdefault(text, None)
    return list(seen)


class Matching(QuestionType):
    name = "matching"
    label = "Matching"

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        pairs = payload.get("pairs")
        if not isinstance(pairs, list) or len(pairs) < 2:
            return ["pairs: at least 2 pairs are needed"]
        errors = [
            f"pairs[{i}]: a pair needs a left and a right text"
            for i, pair in enumerate(pairs, 1)
            if not isinstance(pair, dict)
            or not str(pair.get("left", "")).strip()
            or not str(pair.get("right", "")).strip()
        ]
        distractors = payload.get("distractors", [])
        if not isinstance(distractors, list) or not all(
            isinstance(d, str) and d.strip() for d in distractors
        ):
            errors.append("distractors: must be a list of texts")
        return errors

    @classmethod
    def make_layout(cls, payload: Payload, rng: random.Random | None) -> Layout:
        return {
            "left_order": permutation(len(payload["pairs"]), rng),
            # right items are shuffled even without answer shuffling: in canonical order
            # they would line up with the left items and give the answer away.
            "option_order": permutation(len(options(payload)), rng or random.Random()),
        }

    @classmethod
    def public_view(cls, payload: Payload, layout: Layout) -> dict:
        texts = options(payload)
        return {
            "lefts": [
                with_format({"id": pos, "text": payload["pairs"][i]["left"]}, payload["pairs"][i])
                for pos, i in enumerate(layout["left_order"])
            ],
            "options": [
                {"id": pos, "text": texts[i]} for pos, i in enumerate(layout["option_order"])
            ],
        }

    @classmethod
    def parse_answer(cls, payload, layout, fields):
        answer = {}
        for pos, pair_index in enumerate(layout["left_order"]):
            option = position_index(layout["option_order"], first(fields, str(pos)))
            if option is not None:
                answer[str(pair_index)] = option
        return answer or None

    @classmethod
    def form_values(cls, payload, layout, answer):
        values = {}
        for pos, pair_index in enumerate(layout["left_order"]):
            option = (answer or {}).get(str(pair_index))
            if option in layout["option_order"]:
                values[str(pos)] = [str(layout["option_order"].index(option))]
        return values

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        texts = options(payload)
        answer = answer if isinstance(answer, dict) else {}
        right = 0
        for i, pair in enumerate(payload["pairs"]):
            option = answer.get(str(i))
            if (
                isinstance(option, int)
                and 0 <= option < len(texts)
                and texts[option] == pair["right"]
            ):
                right += 1
        return Grade(right / len(payload["pairs"]))

    @classmethod
    def describe_answer(cls, payload, answer) -> str:
        texts = options(payload)
        parts = []
        for i, pair in enumerate(payload["pairs"]):
            option = (answer or {}).get(str(i))
            chosen = texts[option] if isinstance(option, int) and 0 <= option < len(texts) else "—"
            parts.append(f"{pair['left']} → {chosen}")
        return "；".join(parts)

    @classmethod
    def describe_correct(cls, payload) -> str:
        return "；".join(f"{p['left']} → {p['right']}" for p in payload["pairs"])

"""Ordering (排序题): put the steps in order; credit for each item in its right place."""

import random

from trainer.quizzes.question_types.base import (
    Grade,
    Layout,
    Payload,
    QuestionType,
    first,
    permutation,
)


class Ordering(QuestionType):
    name = "ordering"
    label = "Ordering"

    @classmethod
    def validate(cls, payload: Payload) -> list[str]:
        items = payload.get("items")
        if not isinstance(items, list) or len(items) < 2:
            return ["items: at least 2 items are needed"]
        if not all(isinstance(i, str) and i.strip() for i in items):
            return ["items: every item needs text"]
        if len(set(items)) != len(items):
            return ["items: items must differ from each other"]
        return []

    @classmethod
    def make_layout(cls, payload: Payload, rng: random.Random | None) -> Layout:
        # Always shuffled: shown in canonical order the question would answer itself.
        rng = rng or random.Random()
        order = permutation(len(payload["items"]), rng)
        while len(order) > 1 and order == sorted(order):
            rng.shuffle(order)
        return {"order": order}

    @classmethod
    def public_view(cls, payload: Payload, layout: Layout) -> dict:
        return {
            "items": [
                {"id": pos, "text": payload["items"][i], "format": payload.get("item_format")}
                for pos, i in enumerate(layout["order"])
            ],
            "ranks": list(range(1, len(payload["items"]) + 1)),
        }

    @classmethod
    def parse_answer(cls, payload, layout, fields):
        """Answer: the rank (1-based) the trainee gave to each canonical item."""
        ranks = {}
        for pos, index in enumerate(layout["order"]):
            value = first(fields, str(pos))
            if value.isdigit() and 1 <= int(value) <= len(payload["items"]):
                ranks[str(index)] = int(value)
        return ranks or None

    @classmethod
    def form_values(cls, payload, layout, answer):
        return {
            str(pos): [str((answer or {})[str(index)])]
            for pos, index in enumerate(layout["order"])
            if str(index) in (answer or {})
        }

    @classmethod
    def grade(cls, payload: Payload, answer) -> Grade:
        answer = answer if isinstance(answer, dict) else {}
        placed = sum(1 for i in range(len(payload["items"])) if answer.get(str(i)) == i + 1)
        return Grade(placed / len(payload["items"]))

    @classmethod
    def describe_answer(cls, payload, answer) -> str:
        ranked = sorted(
            (
                (rank, payload["items"][int(i)])
                for i, rank in (answer or {}).items()
                if str(i).isdigit() and int(i) < len(payload["items"])
            ),
        )
        return " → ".join(f"{rank}. {text}" for rank, text in ranked)

    @classmethod
    def describe_correct(cls, payload) -> str:
        return " → ".join(f"{n}. {text}" for n, text in enumerate(payload["items"], 1))

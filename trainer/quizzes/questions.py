"""The native question format shared by YAML/JSON banks, GIFT and the database.

A question is a dict of common fields (COMMON_FIELDS) plus its type's payload keys. This
module validates and normalises one question; bank_files.py and gift.py build on it.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from trainer.quizzes.question_types import get_question_type, question_types

COMMON_FIELDS = (
    "key",
    "type",
    "title",
    "text",
    "format",
    "category",
    "usage",
    "tags",
    "points",
    "link",
    "general_feedback",
)
TEXT_FORMATS = ("plain", "markdown", "html", "moodle")
USAGES = ("practice", "exam", "both")
MAX_TAG = 60
MAX_TEXT = 20_000


@dataclass(frozen=True)
class LineError:
    """One problem in an imported file, printed as FILE:LINE: message."""

    line: int
    message: str

    def format(self, filename: str) -> str:
        return f"{filename}:{self.line}: {self.message}"


class BankImportError(ValueError):
    def __init__(self, errors: list[LineError], filename: str = "<input>"):
        self.errors = sorted(errors, key=lambda e: e.line)
        self.filename = filename
        super().__init__("\n".join(e.format(filename) for e in self.errors))

    def lines(self) -> list[str]:
        return [e.format(self.filename) for e in self.errors]


def payload_of(question: dict) -> dict:
    return {k: v for k, v in question.items() if k not in COMMON_FIELDS and not k.startswith("_")}


def default_key(question: dict) -> str:
    source = question.get("title") or question.get("text") or ""
    return "q-" + hashlib.sha1(source.encode()).hexdigest()[:12]


def _choices_shorthand(choices: Any) -> Any:
    """YAML authors write `correct: true`; the native form is `fraction: 1`."""
    if not isinstance(choices, list):
        return choices
    out = []
    for choice in choices:
        if isinstance(choice, dict) and "correct" in choice:
            choice = dict(choice)
            choice.setdefault("fraction", 1 if choice.pop("correct") else 0)
        if isinstance(choice, dict):
            choice = {"fraction": 0, **choice}
        out.append(choice)
    return out


def _answers_shorthand(answers: Any) -> Any:
    """Accepted answers may be plain strings (full credit)."""
    if not isinstance(answers, list):
        return answers
    return [
        {"text": a, "fraction": 1}
        if isinstance(a, str | int | float) and not isinstance(a, bool)
        else ({"fraction": 1, **a} if isinstance(a, dict) else a)
        for a in answers
    ]


def normalise_question(raw: dict, category: str | None = None) -> dict:
    """Fill defaults and expand shorthands; never raises (validation reports problems)."""
    question = {k: v for k, v in raw.items() if not k.startswith("_")}
    question.setdefault("format", "plain")
    question.setdefault("points", 1)
    question.setdefault("general_feedback", "")
    question.setdefault("link", None)
    question.setdefault("title", "")
    question.setdefault("usage", "both")
    question.setdefault("tags", [])
    if category and not question.get("category"):
        question["category"] = category
    qtype = question.get("type")
    if qtype in ("single_choice", "multiple_choice"):
        question["choices"] = _choices_shorthand(question.get("choices"))
    elif qtype == "short_answer":
        question["answers"] = _answers_shorthand(question.get("answers"))
    elif qtype == "cloze" and isinstance(question.get("blanks"), list):
        question["blanks"] = [
            {"dropdown": False, **b, "answers": _answers_shorthand(b.get("answers"))}
            if isinstance(b, dict)
            else {"dropdown": False, "answers": _answers_shorthand(b)}
            for b in question["blanks"]
        ]
    elif qtype == "numerical" and isinstance(question.get("answers"), list):
        question["answers"] = [
            {"fraction": 1, **a} if isinstance(a, dict) else a for a in question["answers"]
        ]
    if not question.get("key"):
        question["key"] = default_key(question)
    question["key"] = str(question["key"])
    return question


def validate_question(question: dict) -> list[str]:
    """Messages naming the field at fault; empty when the question can be stored."""
    errors = []
    qtype = question.get("type")
    if qtype not in question_types():
        known = ", ".join(sorted(question_types()))
        return [f"type: unknown question type {qtype!r} (known: {known})"]
    text = question.get("text")
    if not isinstance(text, str) or not text.strip():
        errors.append("text: a question needs text")
    elif len(text) > MAX_TEXT:
        errors.append(f"text: longer than {MAX_TEXT} characters")
    if question.get("format") not in TEXT_FORMATS:
        errors.append(f"format: must be one of {', '.join(TEXT_FORMATS)}")
    category = question.get("category")
    if not isinstance(category, str) or not category.strip():
        errors.append("category: every question needs a category")
    if question.get("usage") not in USAGES:
        errors.append(f"usage: must be one of {', '.join(USAGES)}")
    tags = question.get("tags")
    if not isinstance(tags, list) or not all(
        isinstance(tag, str) and tag.strip() and len(tag) <= MAX_TAG for tag in tags
    ):
        errors.append(f"tags: must be a list of words of at most {MAX_TAG} characters")
    points = question.get("points")
    if not isinstance(points, int | float) or isinstance(points, bool) or points <= 0:
        errors.append("points: must be a positive number")
    for name in ("title", "general_feedback"):
        if not isinstance(question.get(name) or "", str):
            errors.append(f"{name}: must be text")
    link = question.get("link")
    if link is not None and (not isinstance(link, str) or "." not in link):
        errors.append("link: must look like '<procedure>.<step>' or '<topic>.<item>'")
    question_type = get_question_type(qtype)
    payload = payload_of(question)
    errors += question_type.validate(payload)
    if not errors and hasattr(question_type, "validate_text"):
        errors += question_type.validate_text(text, payload)
    return errors

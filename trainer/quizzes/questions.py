"""The native question format shared by YAML/JSON banks, GIFT and the database.

A question is a dict of common fields (COMMON_FIELDS) plus its type's payload keys. This
module validates and normalises one question; bank_files.py and gift.py build on it.
"""

import hashlib
import re
from dataclasses import replace
from typing import Any

from trainer.quizzes.question_types import get_question_type, question_types
from trainer.source_files import Problem, SourceFileError

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
MAX_KEY = 120


# An error report stays readable and small whatever the upload: this many lines, each cut.
MAX_REPORTED_ERRORS = 200
MAX_ERROR_CHARS = 300


class BankImportError(SourceFileError):
    """A bank file was refused; `problems` lists every problem, named with the file."""

    def __init__(self, errors: list[Problem], filename: str = "<input>"):
        self.errors = sorted(errors, key=lambda e: e.line or 0)
        self.filename = filename
        super().__init__([replace(e, file=filename) for e in self.errors])
        self.template = "\n".join(self.lines())  # bank problems print without an empty field

    def lines(self) -> list[str]:
        shown = [
            _cut(e.in_file(self.filename), MAX_ERROR_CHARS)
            for e in self.errors[:MAX_REPORTED_ERRORS]
        ]
        if len(self.errors) > MAX_REPORTED_ERRORS:
            shown.append(f"… {len(self.errors) - MAX_REPORTED_ERRORS} more")
        return shown


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def canonical(value):
    """A value as meaning, for comparing a question read back from a file with the stored one:
    empty and false entries dropped (an absent `feedback` is an empty one), numbers rounded
    to 7 decimals (Moodle's precision), numerical ranges written as value ± tolerance, texts
    without the white space around them (GIFT and Moodle XML trim every text)."""
    if isinstance(value, dict):
        if "min" in value and "max" in value and _is_number(value["min"]):
            value = {k: v for k, v in value.items() if k not in ("min", "max")} | {
                "value": (value["min"] + value["max"]) / 2,
                "tolerance": (value["max"] - value["min"]) / 2,
            }
        return {
            k: canonical(v)
            for k, v in value.items()
            if not _empty(v) and not str(k).startswith("_")
        }
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if _is_number(value):
        return round(float(value), 7) + 0.0
    if isinstance(value, str):
        return value.strip()
    return value


def _empty(value) -> bool:
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def without_internal_keys(value):
    """A value without reader bookkeeping (`_line` in nested YAML mappings, `_keep`…)."""
    if isinstance(value, dict):
        return {k: without_internal_keys(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, list):
        return [without_internal_keys(v) for v in value]
    return value


def payload_of(question: dict) -> dict:
    return without_internal_keys(
        {k: v for k, v in question.items() if k not in COMMON_FIELDS and not k.startswith("_")}
    )


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


def _as_typed(text: Any) -> Any:
    """A typed answer is text: YAML reads `12300` as a number, a trainee types "12300"."""
    return str(text) if isinstance(text, int | float) and not isinstance(text, bool) else text


def _answers_shorthand(answers: Any) -> Any:
    """Accepted answers may be plain strings (full credit)."""
    if not isinstance(answers, list):
        return answers
    return [
        {"text": _as_typed(a), "fraction": 1}
        if isinstance(a, str | int | float) and not isinstance(a, bool)
        else (
            {"fraction": 1, **a, **({"text": _as_typed(a["text"])} if "text" in a else {})}
            if isinstance(a, dict)
            else a
        )
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


SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _format_keys(value, path: str = ""):
    """(path, value) of every `format` / `*_format` key, however deep (choices, blanks…)."""
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if key == "format" or str(key).endswith("_format"):
                yield where, item
            else:
                yield from _format_keys(item, where)
    elif isinstance(value, list):
        for n, item in enumerate(value, 1):
            yield from _format_keys(item, f"{path}[{n}]")


def validate_interchange_fields(question: dict) -> list[str]:
    """The payload fields Moodle files bring: text formats, penalty, files, Moodle extras."""
    errors = [
        f"{where}: must be one of {', '.join(TEXT_FORMATS)}"
        for where, value in _format_keys(payload_of(question))
        if value not in TEXT_FORMATS
    ]
    penalty = question.get("penalty")
    if penalty is not None and (
        not isinstance(penalty, int | float) or isinstance(penalty, bool) or not 0 <= penalty <= 1
    ):
        errors.append("penalty: must be a number between 0 and 1")
    files = question.get("files")
    if files is not None and (
        not isinstance(files, dict)
        or not all(isinstance(k, str) and k and SHA256.match(str(v)) for k, v in files.items())
    ):
        errors.append("files: must map file names to sha256 digests")
    if question.get("moodle") is not None and not isinstance(question["moodle"], dict):
        errors.append("moodle: must be a mapping")
    return errors


def validate_question(question: dict) -> list[str]:
    """Messages naming the field at fault; empty when the question can be stored."""
    errors = []
    qtype = question.get("type")
    if len(str(question.get("key", ""))) > MAX_KEY:
        errors.append(f"key: longer than {MAX_KEY} characters")
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
    errors += validate_interchange_fields(question)
    link = question.get("link")
    if link is not None and (not isinstance(link, str) or "." not in link):
        errors.append("link: must look like '<procedure>.<step>' or '<topic>.<item>'")
    question_type = get_question_type(qtype)
    payload = payload_of(question)
    errors += question_type.validate(payload)
    if not errors and hasattr(question_type, "validate_text"):
        errors += question_type.validate_text(text, payload)
    return errors

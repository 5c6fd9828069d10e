"""Bank files: the documented YAML format (question_banks/README.md), JSON, and GIFT.

Every reader returns (bank metadata, validated native questions) or raises BankImportError
listing every problem as FILE:LINE: message.
"""

import json

import yaml

from trainer.quizzes.gift import parse_gift
from trainer.quizzes.gift_export import to_gift
from trainer.quizzes.questions import (
    COMMON_FIELDS,
    BankImportError,
    LineError,
    normalise_question,
    validate_question,
)

FORMATS = ("gift", "yaml", "json")


class LineLoader(yaml.SafeLoader):
    """Safe YAML loader remembering each mapping's line as `_line`."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["_line"] = node.start_mark.line + 1
        return mapping


def read_yaml(text: str, filename: str) -> tuple[dict, list[dict]]:
    try:
        document = yaml.load(text, Loader=LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise BankImportError(
            [LineError(line, f"invalid YAML: {getattr(exc, 'problem', exc)}")], filename
        ) from None
    return read_document(document, filename)


def read_json(text: str, filename: str) -> tuple[dict, list[dict]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BankImportError(
            [LineError(exc.lineno, f"invalid JSON: {exc.msg}")], filename
        ) from None
    return read_document(document, filename)


def read_document(document, filename: str) -> tuple[dict, list[dict]]:
    if not isinstance(document, dict) or not isinstance(document.get("questions"), list):
        raise BankImportError([LineError(1, "a bank file needs a 'questions' list")], filename)
    meta = {k: document.get(k) for k in ("name", "title", "description")}
    default_category = document.get("category")
    errors, questions, keys = [], [], {}
    for number, raw in enumerate(document["questions"], 1):
        line = raw.get("_line", 1) if isinstance(raw, dict) else 1
        if not isinstance(raw, dict):
            errors.append(LineError(line, f"question {number}: must be a mapping"))
            continue
        question = normalise_question(raw, default_category)
        errors += [
            LineError(line, f"question {question['key']}: {m}") for m in validate_question(question)
        ]
        if question["key"] in keys:
            errors.append(
                LineError(
                    line,
                    f"duplicate question key {question['key']!r} "
                    f"(first on line {keys[question['key']]})",
                )
            )
        keys.setdefault(question["key"], line)
        question["_line"] = line
        questions.append(question)
    if errors:
        raise BankImportError(errors, filename)
    return meta, questions


def read_bank(text: str, fmt: str, filename: str) -> tuple[dict, list[dict]]:
    if fmt == "gift":
        return {}, parse_gift(text, filename)
    if fmt == "yaml":
        return read_yaml(text, filename)
    if fmt == "json":
        return read_json(text, filename)
    raise ValueError(f"unknown format {fmt!r}")


def clean(question: dict) -> dict:
    """A question for export: common fields first, no internal keys, no empty defaults."""
    ordered = {k: question[k] for k in COMMON_FIELDS if question.get(k) not in (None, "")}
    ordered.update(
        {k: v for k, v in question.items() if k not in COMMON_FIELDS and not k.startswith("_")}
    )
    return ordered


def write_bank(meta: dict, questions: list[dict], fmt: str) -> str:
    if fmt == "gift":
        return to_gift(questions)
    document = {**{k: v for k, v in meta.items() if v}, "questions": [clean(q) for q in questions]}
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    raise ValueError(f"unknown format {fmt!r}")

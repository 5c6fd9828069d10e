"""Bank files: the documented YAML format (question_banks/README.md), JSON, GIFT, Moodle XML.

Every reader returns a BankFile (bank metadata, validated native questions, warnings such
as skipped descriptions, and the files the questions show) or raises BankImportError
listing every problem as FILE:LINE: field: message.
"""

import io
import json
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

import yaml
from flask_babel import lazy_gettext as _l

from trainer.quizzes.assets import Asset
from trainer.quizzes.gift import read_gift
from trainer.quizzes.gift_export import to_gift
from trainer.quizzes.moodle_xml_reader import read_moodle_xml
from trainer.quizzes.moodle_xml_writer import to_moodle_xml
from trainer.quizzes.questions import (
    COMMON_FIELDS,
    BankImportError,
    normalise_question,
    validate_question,
)
from trainer.request_limits import NestingError, loads_bounded
from trainer.source_files import Problem, SourceFileError, parse_yaml

FORMATS = ("gift", "yaml", "json", "moodlexml")
EXTENSIONS = {
    ".gift": "gift",
    ".txt": "gift",
    ".json": "json",
    ".xml": "moodlexml",
    ".yaml": "yaml",
    ".yml": "yaml",
}
FORMAT_LABELS = {"moodlexml": "Moodle XML", "gift": "GIFT", "yaml": "YAML", "json": "JSON"}
# What an export is called and served as.
FILE_SUFFIX = {"gift": "gift.txt", "yaml": "yaml", "json": "json", "moodlexml": "xml"}
MIME_TYPES = {"moodlexml": "application/xml"}


@dataclass
class BankFile:
    meta: dict
    questions: list[dict]
    warnings: list[Problem] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)


def detect_format(filename: str) -> str:
    """The format an import file's extension names (YAML when it names none)."""
    return EXTENSIONS.get(PurePath(filename).suffix.lower(), "yaml")


def read_yaml(text: str, filename: str) -> tuple[dict, list[dict]]:
    try:
        document = parse_yaml(text, filename, str_keys=False)
    except SourceFileError as exc:
        errors = [Problem.at(p.line or 1, p.message, p.field) for p in exc.problems]
        raise BankImportError(errors, filename) from None
    questions = document.data.get("questions") if isinstance(document.data, dict) else None
    for index, raw in enumerate(questions if isinstance(questions, list) else []):
        if isinstance(raw, dict):
            raw["_line"] = document.line(("questions", index))
    return read_document(document.data, filename)


def read_json(text: str, filename: str) -> tuple[dict, list[dict]]:
    try:
        document = loads_bounded(text)
    except json.JSONDecodeError as exc:
        raise BankImportError(
            [Problem.at(exc.lineno, f"invalid JSON: {exc.msg}")], filename
        ) from None
    except NestingError as exc:
        raise BankImportError([Problem.at(1, f"invalid JSON: {exc}")], filename) from None
    return read_document(document, filename)


def read_document(document, filename: str) -> tuple[dict, list[dict]]:
    if not isinstance(document, dict) or not isinstance(document.get("questions"), list):
        raise BankImportError([Problem.at(1, "a bank file needs a 'questions' list")], filename)
    meta = {k: document.get(k) for k in ("name", "title", "description")}
    default_category = document.get("category")
    errors, questions, keys = [], [], {}
    for number, raw in enumerate(document["questions"], 1):
        line = raw.get("_line", 1) if isinstance(raw, dict) else 1
        if not isinstance(raw, dict):
            errors.append(Problem.at(line, f"question {number}: must be a mapping"))
            continue
        question = normalise_question(raw, default_category)
        errors += [
            Problem.at(line, f"question {question['key']}: {m}")
            for m in validate_question(question)
        ]
        if question["key"] in keys:
            errors.append(
                Problem.at(
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


def as_text(source: str | bytes | IO[bytes], filename: str) -> str:
    if isinstance(source, str):
        return source.lstrip("\ufeff")
    data = source if isinstance(source, bytes) else source.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BankImportError(
            [Problem.at(data[: exc.start].count(b"\n") + 1, _l("not UTF-8 text"))], filename
        ) from None


def read_bank_file(
    source: str | bytes | IO[bytes],
    fmt: str,
    filename: str,
    *,
    skip_unsupported: bool = False,
) -> BankFile:
    """Read a bank file of any format; Moodle XML is streamed (pass a binary file)."""
    if fmt == "moodlexml":
        if isinstance(source, str | bytes):
            source = io.BytesIO(source.encode() if isinstance(source, str) else source)
        result = read_moodle_xml(source, filename, skip_unsupported=skip_unsupported)
        return BankFile({}, result.questions, result.warnings, result.assets)
    text = as_text(source, filename)
    if fmt == "gift":
        result = read_gift(text, filename)
        return BankFile({}, result.questions, result.warnings)
    if fmt == "yaml":
        return BankFile(*read_yaml(text, filename))
    if fmt == "json":
        return BankFile(*read_json(text, filename))
    raise ValueError(f"unknown format {fmt!r}")


def read_bank(text: str, fmt: str, filename: str) -> tuple[dict, list[dict]]:
    bank_file = read_bank_file(text, fmt, filename)
    return bank_file.meta, bank_file.questions


def clean(question: dict) -> dict:
    """A question for export: common fields first, no internal keys, no empty defaults."""
    ordered = {k: question[k] for k in COMMON_FIELDS if question.get(k) not in (None, "")}
    ordered.update(
        {k: v for k, v in question.items() if k not in COMMON_FIELDS and not k.startswith("_")}
    )
    return ordered


def write_bank(
    meta: dict, questions: list[dict], fmt: str, assets: dict[str, Asset] | None = None
) -> str:
    """A bank as a file; Moodle XML embeds the `assets` its questions show."""
    if fmt == "gift":
        return to_gift(questions)
    if fmt == "moodlexml":
        return to_moodle_xml(questions, assets or {})
    document = {**{k: v for k, v in meta.items() if v}, "questions": [clean(q) for q in questions]}
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    raise ValueError(f"unknown format {fmt!r}")

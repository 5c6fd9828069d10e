"""GIFT (Moodle's text format) → native questions, read as Moodle reads it.

Blocks come from gift_lexer, answer blocks from gift_answers; this module builds questions:
`::title::` (kept), the text and its format tag, Moodle's `[id:…]` (the question's key)
and `[tag:…]` (its tags) from comments, missing-word questions, several blocks in one text
(a cloze) and our directives in comments Moodle ignores: `// @key`, `// @link`,
`// @points`, `// @usage`, `// @rubric`, `// @type ordering|cloze` and `// @fields {json}`
(anything else GIFT cannot say, written by the exporter so exports round-trip exactly).

Text with no answer block is a Moodle *description*; this product's quizzes have no use for
text-only items, so descriptions are skipped with a warning, never imported.
A field the file does not state (no `@link`, no `[tag:]`…) is listed in `_keep`: importing
over an existing question keeps that field instead of blanking it.

`read_gift` collects every error (with its line) before raising, so a file is fixed in one go.
"""

import json
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from trainer.quizzes.gift_answers import parse_answer_block
from trainer.quizzes.gift_lexer import (
    FORMAT_TAG,
    Block,
    GiftSyntaxError,
    find_answer_blocks,
    find_unescaped,
    split_blocks,
    unescape,
)
from trainer.quizzes.questions import (
    COMMON_FIELDS,
    BankImportError,
    normalise_question,
    validate_question,
)
from trainer.source_files import Problem

DIRECTIVES = ("key", "link", "points", "usage", "rubric", "type", "fields")
# Fields only `// @…` comments carry: absent from a file, they are kept, not blanked.
KEPT_UNLESS_STATED = ("link", "points", "usage")
PAYLOAD_ONLY_FIELDS = (
    "penalty",
    "moodle",
    "case_sensitive",
    "units",
    "unit_penalty",
    "unit_grading",
    "units_left",
    "files",
    "item_format",
    "rubric_format",
)
BLANK = "_____"
# Moodle's: a text without a format tag is in Moodle's auto-format (plain text, line breaks).
DEFAULT_FORMAT = "moodle"


@dataclass
class GiftResult:
    questions: list[dict] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


class Description(Exception):
    """The block is a Moodle description (text without an answer block)."""


def split_title(text: str) -> tuple[str, int]:
    if not text.lstrip().startswith("::"):
        return "", 0
    opening = text.index("::")
    closing = find_unescaped(text, "::", opening + 2)
    if closing < 0:
        raise GiftSyntaxError(opening, _l("title not closed: '::' missing after the title"))
    return unescape(text[opening + 2 : closing]).strip(), closing + 2


def check_description(text: str, body_start: int) -> None:
    """Text without `{…}` is a description, unless full-width braces were meant as a block."""
    if (at := text.find("｛", body_start)) >= 0:
        raise GiftSyntaxError(
            at,
            _l("full-width '｛' where an answer block is expected: GIFT braces must be '{' '}'"),
        )
    raise Description


def parse_block(block: Block) -> dict:
    text = block.text
    title, body_start = split_title(text)
    text_format = DEFAULT_FORMAT
    if match := FORMAT_TAG.match(text, body_start):
        text_format, body_start = match.group(1).lower(), match.end()
    spans = [(s, e) for s, e in find_answer_blocks(text) if s >= body_start]
    if not spans:
        check_description(text, body_start)
    parts = [parse_answer_block(text[s + 1 : e], s + 1, text_format) for s, e in spans]
    before, after = text[body_start : spans[0][0]], text[spans[-1][1] + 1 :]
    wanted = block.directives.get("type", (0, ""))[1].strip().lower()
    if len(spans) == 1 and wanted != "cloze" and not after.strip():
        question = {**parts[0], "text": unescape(before).strip()}
        if wanted == "ordering":
            question = as_ordering(question, spans[0][0])
        elif wanted and wanted != question["type"]:
            raise GiftSyntaxError(
                spans[0][0], _l("@type %(type)s does not fit this answer block"), type=wanted
            )
    elif len(spans) == 1 and wanted != "cloze" and parts[0]["type"] not in BLANK_TYPES:
        # Moodle's missing word for a type that cannot be a blank: the text shows _____
        question = {**parts[0], "text": (unescape(before) + BLANK + unescape(after)).strip()}
    else:
        question = as_cloze(text, body_start, spans, parts)
    question.update(title=title, format=text_format, category=block.category)
    return question


BLANK_TYPES = ("short_answer", "single_choice", "numerical")


def as_ordering(question: dict, offset: int) -> dict:
    pairs = question.get("pairs") if question["type"] == "matching" else None
    if not pairs or not all(p["left"].isdigit() for p in pairs):
        raise GiftSyntaxError(offset, _l("@type ordering needs matching pairs '=1 -> first item'"))
    return {
        "type": "ordering",
        "items": [p["right"] for p in sorted(pairs, key=lambda p: int(p["left"]))],
        "text": question["text"],
        **{k: v for k, v in question.items() if k.startswith("general_feedback")},
    }


def as_blank(part: dict, offset: int) -> dict:
    if part["type"] == "short_answer":
        return {"answers": part["answers"], "dropdown": False}
    if part["type"] == "numerical":
        return {"answers": part["answers"], "dropdown": False, "numerical": True}
    if part["type"] in ("single_choice", "multiple_choice"):
        # a list's options are plain text: a choice's own format has nowhere to go
        options = [{k: v for k, v in c.items() if k != "format"} for c in part["choices"]]
        return {"answers": options, "dropdown": True}
    raise GiftSyntaxError(
        offset, _l("a blank inside the text cannot be %(type)s"), type=part["type"]
    )


def as_cloze(text: str, body_start: int, spans, parts: list[dict]) -> dict:
    pieces, cursor, blanks, general = [], body_start, [], {}
    for n, ((start, end), part) in enumerate(zip(spans, parts, strict=True), 1):
        pieces += [unescape(text[cursor:start]), f"{{{n}}}"]
        cursor = end + 1
        if part.get("general_feedback"):
            general = {k: v for k, v in part.items() if k.startswith("general_feedback")}
        blanks.append(as_blank(part, start))
    pieces.append(unescape(text[cursor:]))
    return {"type": "cloze", "text": "".join(pieces).strip(), "blanks": blanks, **general}


def apply_directives(question: dict, block: Block) -> tuple[list[Problem], set[str]]:
    """Apply `// @…` lines; returns errors and the fields they stated."""
    errors, stated = [], set()
    for name, (line, value) in block.directives.items():
        stated.add(name)
        if name == "key":
            question["key"] = value
        elif name == "link":
            question["link"] = value or None
        elif name == "usage":
            question["usage"] = value
        elif name == "rubric":
            if question["type"] == "essay":
                question["rubric"] = unescape(value)
        elif name == "points":
            try:
                question["points"] = float(value) if "." in value else int(value)
            except ValueError:
                errors.append(
                    Problem.at(line, _l("%(value)r is not a number", value=value), "@points")
                )
        elif name == "fields":
            try:
                fields = json.loads(value)
                if not isinstance(fields, dict):
                    raise ValueError
            except ValueError:
                errors.append(Problem.at(line, _l("must be a JSON object"), "@fields"))
                continue
            bad = sorted(k for k in fields if k in ("key", "type", "category") or k[:1] == "_")
            if bad:
                errors.append(
                    Problem.at(line, _l("cannot set %(fields)s", fields=", ".join(bad)), "@fields")
                )
                continue
            question.update(fields)
            stated |= set(fields)
        elif name != "type":
            errors.append(Problem.at(line, _l("unknown directive @%(name)s", name=name)))
    return errors, stated


def fields_to_keep(question: dict, block: Block, stated: set[str]) -> list[str]:
    keep = [name for name in KEPT_UNLESS_STATED if name not in stated]
    if block.tags is None and "tags" not in stated:
        keep.append("tags")
    if question["type"] == "essay" and "rubric" not in stated:
        keep.append("rubric")
    return keep + [name for name in PAYLOAD_ONLY_FIELDS if name not in stated]


def read_block(block: Block, default_category: str) -> tuple[dict, list[Problem]]:
    raw = parse_block(block)
    if (idnumber := block.idnumber) is not None:
        raw["key"] = idnumber
    if (tags := block.tags) is not None:
        raw["tags"] = tags
    errors, stated = apply_directives(raw, block)
    raw["category"] = raw.get("category") or default_category
    question = normalise_question(raw)
    question["_line"] = block.first_line
    question["_keep"] = fields_to_keep(question, block, stated)
    question["_key_given"] = idnumber is not None or "key" in stated
    errors += [Problem.at(block.first_line, message) for message in validate_question(question)]
    return question, errors


def read_gift(text: str, filename: str = "<gift>", default_category: str = "general") -> GiftResult:
    """Parse a whole GIFT file into validated native questions, or raise BankImportError."""
    blocks, errors = split_blocks(text.lstrip("\ufeff"))
    result, seen_keys = GiftResult(), {}
    for block in blocks:
        try:
            question, problems = read_block(block, default_category)
        except Description:
            result.warnings.append(
                Problem.at(
                    block.first_line,
                    _l(
                        "description (text without an answer block) skipped: %(text)s",
                        text=re.sub(r"\s+", " ", block.text)[:60],
                    ),
                )
            )
            continue
        except GiftSyntaxError as exc:
            column = block.column_at(exc.offset)
            errors.append(
                Problem.at(
                    block.line_at(exc.offset),
                    _l("%(message)s (column %(column)d)", message=exc.message, column=column),
                )
            )
            continue
        errors += problems
        if question["key"] in seen_keys and not question.pop("_key_given"):
            # a generated key (from the title or text) is made unique; a chosen one must be
            question["key"] = f"{question['key']}-{block.first_line}"
        question.pop("_key_given", None)
        if question["key"] in seen_keys:
            errors.append(
                Problem.at(
                    block.first_line,
                    _l(
                        "duplicate question key %(key)r (first on line %(line)d)",
                        key=question["key"],
                        line=seen_keys[question["key"]],
                    ),
                )
            )
        seen_keys.setdefault(question["key"], block.first_line)
        result.questions.append(question)
    if errors:
        raise BankImportError(errors, filename)
    return result


def parse_gift(
    text: str, filename: str = "<gift>", default_category: str = "general"
) -> list[dict]:
    """The questions of a GIFT file (descriptions skipped); raises BankImportError."""
    return read_gift(text, filename, default_category).questions


__all__ = ["COMMON_FIELDS", "GiftResult", "parse_gift", "read_gift"]

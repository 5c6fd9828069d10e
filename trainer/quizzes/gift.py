"""GIFT (Moodle's text format) → native questions.

Supported: `::title::`, `$CATEGORY:`, `=`/`~` answers, `%50%` weights, `#` feedback, `####`
general feedback, `->` matching, numerical `{#3:0.5}` `{#1..5}` `{#=3:0.5 =%50%3:1}`, `{T}` /
`{TRUE}` with feedback, essay `{}`, missing word (a block inside the text), escapes
`\\~ \\= \\# \\{ \\} \\:`, `[markdown]`/`[html]`/`[plain]`/`[moodle]`, `//` comments and
multi-line questions. Our extensions live in comments Moodle ignores: `// @key`, `// @link`,
`// @points`, `// @rubric`, `// @type ordering|cloze`; several blocks in one text make a cloze.

`parse_gift` collects every error (with its line) before raising, so a file is fixed in one go.
"""

import re
from dataclasses import dataclass, field

from trainer.quizzes.questions import (
    BankImportError,
    LineError,
    normalise_question,
    validate_question,
)

ESCAPABLE = "~=#{}:"
FORMAT_TAG = re.compile(r"\s*\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
DIRECTIVE = re.compile(r"^\s*//\s*@(\w+)\s?(.*)$")
COMMENT = re.compile(r"^\s*//")
CATEGORY = re.compile(r"^\s*\$CATEGORY:\s*(.*)$")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class GiftError(Exception):
    def __init__(self, offset: int, message: str):
        self.offset, self.message = offset, message


@dataclass
class Block:
    """The lines of one question, with their numbers for error messages."""

    first_line: int
    lines: list[str] = field(default_factory=list)
    directives: dict[str, str] = field(default_factory=dict)
    category: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def line_at(self, offset: int) -> int:
        return self.first_line + self.text[:offset].count("\n")


UNESCAPE = re.compile(r"\\([~=#{}:\\n])")
BRACES = re.compile(r"[{}]")


def unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return UNESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def escaped_positions(text: str) -> set[int]:
    """Offsets of characters made literal by a backslash (a backslash escapes one character)."""
    positions, at = set(), text.find("\\")
    while at >= 0:
        positions.add(at + 1)
        at = text.find("\\", at + 2)
    return positions


def find_unescaped(text: str, token: str, start: int = 0) -> int:
    if "\\" not in text:
        return text.find(token, start)
    escaped = escaped_positions(text)
    at = text.find(token, start)
    while at >= 0 and (at in escaped or text[at] == "\\"):
        at = text.find(token, at + 1)
    return at


def split_unescaped(text: str, markers: str) -> list[tuple[int, str]]:
    """Split at unescaped marker characters, keeping each marker; returns (offset, piece)."""
    escaped = escaped_positions(text) if "\\" in text else set()
    cuts = [
        m.start()
        for m in re.finditer(f"[{re.escape(markers)}]", text)
        if m.start() and m.start() not in escaped
    ]
    bounds = [0, *cuts, len(text)]
    return [(a, text[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def clean_category(name: str) -> str:
    name = name.strip()
    for prefix in ("$course$/", "$module$/", "$system$/", "$cat1$/"):
        name = name.removeprefix(prefix)
    return name.removeprefix("top/").strip("/")


def split_blocks(text: str) -> tuple[list[Block], list[LineError]]:
    blocks: list[Block] = []
    errors: list[LineError] = []
    current: Block | None = None
    pending: dict[str, str] = {}
    category: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            current = None
            continue
        if COMMENT.match(line):
            if match := DIRECTIVE.match(line):
                target = current.directives if current else pending
                target[match.group(1).lower()] = match.group(2).strip()
            continue
        if current is None and (match := CATEGORY.match(line)):
            category = clean_category(match.group(1))
            if not category:
                errors.append(LineError(number, "$CATEGORY: needs a category name"))
            continue
        if current is None:
            current = Block(number, directives=pending, category=category)
            pending = {}
            blocks.append(current)
        current.lines.append(line)
    return blocks, errors


def parse_weight(token: str, offset: int) -> tuple[float | None, str, int]:
    """Strip a leading %n% weight; returns (fraction or None, rest, characters consumed)."""
    if not token.startswith("%"):
        return None, token, 0
    end = token.find("%", 1)
    if end < 0:
        raise GiftError(offset, f"bad weight {token[:12]!r}: missing closing '%'")
    raw = token[1:end].strip()
    try:
        weight = float(raw)
    except ValueError:
        raise GiftError(offset, f"bad weight '%{raw}%': not a number") from None
    if not -100 <= weight <= 100:
        raise GiftError(offset, f"bad weight '%{raw}%': must be between -100 and 100")
    return weight / 100, token[end + 1 :], end + 1


def split_feedback(token: str) -> tuple[str, str]:
    at = find_unescaped(token, "#")
    if at < 0:
        return token, ""
    return token[:at], token[at + 1 :]


def parse_number(raw: str, offset: int) -> float:
    try:
        return float(unescape(raw).strip())
    except ValueError:
        raise GiftError(
            offset, f"bad number {unescape(raw).strip()!r} in numerical answer"
        ) from None


def parse_numeric_answer(raw: str, offset: int) -> dict:
    raw = raw.strip()
    if ".." in raw:
        low, high = raw.split("..", 1)
        answer = {"min": parse_number(low, offset), "max": parse_number(high, offset)}
        if answer["min"] > answer["max"]:
            raise GiftError(offset, f"bad range {raw!r}: minimum above maximum")
        return answer
    at = find_unescaped(raw, ":")
    if at >= 0:
        return {
            "value": parse_number(raw[:at], offset),
            "tolerance": parse_number(raw[at + 1 :], offset),
        }
    return {"value": parse_number(raw, offset), "tolerance": 0}


def parse_numerical(body: str, offset: int) -> dict:
    body = body[1:]  # the leading '#'
    if find_unescaped(body, "=") < 0 and find_unescaped(body, "~") < 0:
        value, feedback = split_feedback(body)
        return {
            "type": "numerical",
            "answers": [
                {
                    **parse_numeric_answer(value, offset),
                    "fraction": 1,
                    "feedback": unescape(feedback).strip(),
                }
            ],
        }
    answers = []
    for at, piece in split_unescaped(body, "=~"):
        if not piece.strip():
            continue
        marker, rest = piece[0], piece[1:]
        if marker not in "=~":
            raise GiftError(offset + at, f"unexpected {piece.strip()[:20]!r} in numerical answers")
        weight, rest, _ = parse_weight(rest.lstrip(), offset + at + 1)
        value, feedback = split_feedback(rest)
        fraction = weight if weight is not None else (1.0 if marker == "=" else 0.0)
        if marker == "~" and not value.strip():  # `~#feedback`: Moodle's catch-all wrong answer
            continue
        answers.append(
            {
                **parse_numeric_answer(value, offset + at),
                "fraction": fraction,
                "feedback": unescape(feedback).strip(),
            }
        )
    return {"type": "numerical", "answers": answers}


def parse_answer_block(body: str, offset: int) -> dict:
    """The inside of one {...}: returns a partial question (type + payload + general feedback)."""
    general = ""
    at = find_unescaped(body, "####")
    if at >= 0:
        body, general = body[:at], unescape(body[at + 4 :]).strip()
    stripped = body.strip()
    lead = offset + len(body) - len(body.lstrip())
    if not stripped:
        return {"type": "essay", "general_feedback": general}
    if stripped.startswith("#"):
        return {**parse_numerical(stripped, lead), "general_feedback": general}
    head, *feedbacks = [part for _, part in split_unescaped(stripped, "#")] or [""]
    if head.strip().upper() in TRUE_FALSE:
        answer = TRUE_FALSE[head.strip().upper()]
        feedbacks = [unescape(f.lstrip("#")).strip() for f in feedbacks] + ["", ""]
        wrong, right = feedbacks[0], feedbacks[1]
        return {
            "type": "true_false",
            "answer": answer,
            "general_feedback": general,
            "feedback_true": right if answer else wrong,
            "feedback_false": wrong if answer else right,
        }
    pieces = split_unescaped(stripped, "=~")
    first_offset, first_piece = pieces[0]
    if first_piece[0] not in "=~":
        raise GiftError(
            lead,
            f"unknown question type: answer block {stripped[:30]!r} has no "
            "'=' or '~' answers (use {} for an essay, {T} for true/false, "
            "{#n} for numerical)",
        )
    answers = []
    for at, piece in pieces:
        marker, rest = piece[0], piece[1:].strip()
        weight, rest, _ = parse_weight(rest, lead + at + 1)
        text, feedback = split_feedback(rest)
        answers.append(
            {
                "marker": marker,
                "weight": weight,
                "text": text.strip(),
                "feedback": unescape(feedback).strip(),
                "offset": lead + at,
            }
        )
    return {**classify(answers), "general_feedback": general}


def classify(answers: list[dict]) -> dict:
    for answer in answers:
        if not unescape(answer["text"]).strip() and "->" not in answer["text"]:
            raise GiftError(answer["offset"], "empty answer text")
    if any(find_unescaped(a["text"], "->") >= 0 for a in answers):
        pairs, distractors = [], []
        for answer in answers:
            at = find_unescaped(answer["text"], "->")
            if answer["marker"] != "=" or at < 0:
                raise GiftError(answer["offset"], "matching answers must all be '=left -> right'")
            left, right = (
                unescape(answer["text"][:at]).strip(),
                unescape(answer["text"][at + 2 :]).strip(),
            )
            if not left:
                distractors.append(right)
            else:
                pairs.append({"left": left, "right": right})
        return {"type": "matching", "pairs": pairs, "distractors": distractors}
    markers = {a["marker"] for a in answers}

    def fraction(a: dict) -> float:
        return a["weight"] if a["weight"] is not None else (1.0 if a["marker"] == "=" else 0.0)

    entries = [
        {"text": unescape(a["text"]), "fraction": fraction(a), "feedback": a["feedback"]}
        for a in answers
    ]
    if markers == {"="}:
        return {"type": "short_answer", "answers": entries}
    return {"type": "single_choice" if "=" in markers else "multiple_choice", "choices": entries}


def find_answer_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each unescaped {...}; raises on unclosed or stray braces."""
    spans, start = [], None
    escaped = escaped_positions(text) if "\\" in text else set()
    for match in BRACES.finditer(text):
        i = match.start()
        if i in escaped:
            continue
        if match.group() == "{":
            if start is not None:
                raise GiftError(i, "'{' inside an answer block (escape it as \\{)")
            start = i
        else:
            if start is None:
                raise GiftError(i, "unmatched '}' (escape it as \\})")
            spans.append((start, i))
            start = None
    if start is not None:
        raise GiftError(start, "unclosed '{': the answer block is never closed")
    return spans


def parse_block(block: Block) -> dict:
    text = block.text
    title, body_start = "", 0
    if text.lstrip().startswith("::"):
        opening = text.index("::")
        closing = find_unescaped(text, "::", opening + 2)
        if closing < 0:
            raise GiftError(opening, "title not closed: '::' missing after the title")
        title, body_start = unescape(text[opening + 2 : closing]).strip(), closing + 2
    text_format = "plain"
    if match := FORMAT_TAG.match(text, body_start):
        text_format, body_start = match.group(1).lower(), match.end()
    spans = [(s, e) for s, e in find_answer_blocks(text) if s >= body_start]
    if not spans:
        raise GiftError(body_start, "no answer block: every question needs {…} (unknown type)")
    parts = [parse_answer_block(text[s + 1 : e], s + 1) for s, e in spans]
    trailing = text[spans[-1][1] + 1 :].strip()
    wanted_type = block.directives.get("type", "").strip().lower()
    if len(spans) == 1 and not trailing and wanted_type != "cloze":
        question = parts[0]
        question["text"] = unescape(text[body_start : spans[0][0]]).strip()
        if wanted_type == "ordering":
            question = as_ordering(question, spans[0][0])
        elif wanted_type and wanted_type != question["type"]:
            raise GiftError(spans[0][0], f"@type {wanted_type} does not fit this answer block")
    else:
        question = as_cloze(text, body_start, spans, parts)
    question.update(title=title, format=text_format, category=block.category)
    return question


def as_ordering(question: dict, offset: int) -> dict:
    pairs = question.get("pairs") if question["type"] == "matching" else None
    if not pairs or not all(p["left"].isdigit() for p in pairs):
        raise GiftError(offset, "@type ordering needs matching pairs '=1 -> first item'")
    items = [p["right"] for p in sorted(pairs, key=lambda p: int(p["left"]))]
    return {
        "type": "ordering",
        "items": items,
        "text": question["text"],
        "general_feedback": question["general_feedback"],
    }


def as_cloze(text: str, body_start: int, spans, parts: list[dict]) -> dict:
    pieces, cursor, blanks, general = [], body_start, [], ""
    for n, ((start, end), part) in enumerate(zip(spans, parts, strict=True), 1):
        pieces += [unescape(text[cursor:start]), f"{{{n}}}"]
        cursor = end + 1
        general = part.get("general_feedback") or general
        if part["type"] == "short_answer":
            blanks.append({"answers": part["answers"], "dropdown": False})
        elif part["type"] in ("single_choice", "multiple_choice"):
            blanks.append({"answers": part["choices"], "dropdown": True})
        else:
            raise GiftError(start, f"a blank inside the text cannot be {part['type']}")
    pieces.append(unescape(text[cursor:]))
    return {
        "type": "cloze",
        "text": "".join(pieces).strip(),
        "blanks": blanks,
        "general_feedback": general,
    }


def apply_directives(question: dict, directives: dict[str, str], block: Block) -> list[LineError]:
    errors = []
    for name, value in directives.items():
        if name == "key":
            question["key"] = value
        elif name == "link":
            question["link"] = value or None
        elif name == "rubric" and question["type"] == "essay":
            question["rubric"] = unescape(value)
        elif name == "points":
            try:
                question["points"] = float(value) if "." in value else int(value)
            except ValueError:
                errors.append(LineError(block.first_line, f"@points {value!r} is not a number"))
        elif name not in ("type", "rubric"):
            errors.append(LineError(block.first_line, f"unknown directive @{name}"))
    return errors


def parse_gift(
    text: str, filename: str = "<gift>", default_category: str = "general"
) -> list[dict]:
    """Parse a whole GIFT file into validated native questions, or raise BankImportError."""
    text = text.lstrip("\ufeff")
    blocks, errors = split_blocks(text)
    questions, seen_keys = [], {}
    for block in blocks:
        try:
            raw = parse_block(block)
        except GiftError as exc:
            errors.append(LineError(block.line_at(exc.offset), exc.message))
            continue
        errors += apply_directives(raw, block.directives, block)
        raw["category"] = raw.get("category") or default_category
        question = normalise_question(raw)
        question["_line"] = block.first_line
        for message in validate_question(question):
            errors.append(LineError(block.first_line, message))
        if question["key"] in seen_keys and "key" not in block.directives:
            # a generated key (from the title or text) is made unique; a chosen one must be
            question["key"] = f"{question['key']}-{block.first_line}"
        if question["key"] in seen_keys:
            errors.append(
                LineError(
                    block.first_line,
                    f"duplicate question key {question['key']!r} "
                    f"(first on line {seen_keys[question['key']]})",
                )
            )
        seen_keys.setdefault(question["key"], block.first_line)
        questions.append(question)
    if errors:
        raise BankImportError(errors, filename)
    return questions

"""GIFT lexing: a file into question blocks, escapes, answer-block spans, text-format tags.

A block is a run of non-blank lines, as in Moodle. Its `//` comment lines carry Moodle's
`[id:…]` and `[tag:…]` and our `// @directive value` lines; a `$CATEGORY:` line switches
the category of the blocks that follow. Errors are GiftSyntaxError with an offset into the
block's text, turned into FILE:LINE by the caller.
"""

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from trainer.errors import DomainError
from trainer.source_files import Problem

ESCAPABLE = "~=#{}:"
FORMATS = ("moodle", "html", "plain", "markdown")
FORMAT_TAG = re.compile(r"\s*\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
DIRECTIVE = re.compile(r"^\s*//\s*@(\w+)\s?(.*)$")
COMMENT = re.compile(r"^\s*//")
CATEGORY = re.compile(r"^\s*\$CATEGORY:\s*(.*)$")
# Moodle's qformat_gift: an id or tag runs to the first unescaped ']' on one comment line.
ID_TOKEN = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
TAG_TOKEN = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f])+)\]")
UNESCAPE = re.compile(r"\\([~=#{}:\\n])")
BRACES = re.compile(r"[{}]")
FULL_WIDTH_MARKERS = {"＝": "=", "～": "~", "＃": "#", "｛": "{", "｝": "}"}


class GiftSyntaxError(DomainError):
    """A construct GIFT does not allow, at `offset` in the block's text."""

    def __init__(self, offset: int, message, /, **params) -> None:
        super().__init__(message, **params)
        self.offset = offset


@dataclass
class Block:
    """The lines of one question, with their numbers for error messages."""

    first_line: int
    lines: list[str] = field(default_factory=list)
    comments: list[tuple[int, str]] = field(default_factory=list)
    category: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def line_at(self, offset: int) -> int:
        return self.first_line + self.text[:offset].count("\n")

    def column_at(self, offset: int) -> int:
        return offset - (self.text.rfind("\n", 0, offset) + 1) + 1

    @property
    def directives(self) -> dict[str, tuple[int, str]]:
        found = {}
        for number, comment in self.comments:
            if match := DIRECTIVE.match(comment):
                found[match.group(1).lower()] = (number, match.group(2).strip())
        return found

    @property
    def idnumber(self) -> str | None:
        for _number, comment in self.comments:
            if match := ID_TOKEN.search(comment):
                return match.group(1).replace("\\]", "]").strip()
        return None

    @property
    def tags(self) -> list[str] | None:
        """Tags in file order, each once; None when the block names none."""
        found = [
            match.group(1).replace("\\]", "]").strip()
            for _number, comment in self.comments
            for match in TAG_TOKEN.finditer(comment)
        ]
        return list(dict.fromkeys(t for t in found if t)) if found else None


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


def rfind_unescaped(text: str, token: str) -> int:
    escaped = escaped_positions(text) if "\\" in text else set()
    at = text.rfind(token)
    while at >= 0 and (at in escaped or text[at] == "\\"):
        at = text.rfind(token, 0, at)
    return at


def split_unescaped(text: str, markers: str) -> list[tuple[int, str]]:
    """Split before each unescaped marker character, keeping it; returns (offset, piece).

    The first piece has no marker when the text does not start with one (Moodle reads it as
    an answer too: `{Paris}` is a short answer).
    """
    escaped = escaped_positions(text) if "\\" in text else set()
    cuts = [
        m.start()
        for m in re.finditer(f"[{re.escape(markers)}]", text)
        if m.start() and m.start() not in escaped
    ]
    bounds = [0, *cuts, len(text)]
    return [(a, text[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def with_format(raw: str, default: str) -> tuple[str, str]:
    """A text that may open with Moodle's [html]/[plain]/[markdown]/[moodle]: (text, format)."""
    stripped = raw.strip()
    if stripped.startswith("[") and (match := FORMAT_TAG.match(stripped)):
        return unescape(stripped[match.end() :]).strip(), match.group(1).lower()
    return unescape(stripped).strip(), default


def clean_category(name: str) -> str:
    """Moodle's `$course$/top/a/b` is this product's category `a/b`."""
    name = name.strip()
    for prefix in ("$course$", "$module$", "$system$", "$cat1$", "$cat2$"):
        if name == prefix or name.startswith(prefix + "/"):
            name = name[len(prefix) :].lstrip("/")
    name = name.removeprefix("top/") if name != "top" else ""
    # Moodle doubles a '/' inside one category's name; here '/' only separates levels.
    return name.replace("//", "／").strip("/").strip()


def check_full_width(text: str, base: int, at_start: bool = True) -> None:
    """Full-width ＝ ～ ＃ typed as answer markers (a Chinese keyboard's default) are an error
    that points at the character: at the start of an answer block or after white space."""
    for match in re.finditer(r"(^|\s)([＝～＃])", text):
        if match.start(2) == 0 and not at_start:
            continue
        char = match.group(2)
        raise GiftSyntaxError(
            base + match.start(2),
            _l(
                "full-width '%(char)s' where a GIFT marker is expected: GIFT markers must be "
                "half-width (use '%(ascii)s')",
            ),
            char=char,
            ascii=FULL_WIDTH_MARKERS[char],
        )


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
                raise GiftSyntaxError(i, _l("'{' inside an answer block (escape it as \\{)"))
            start = i
        else:
            if start is None:
                raise GiftSyntaxError(i, _l("unmatched '}' (escape it as \\})"))
            spans.append((start, i))
            start = None
    if start is not None:
        raise GiftSyntaxError(start, _l("unclosed '{': the answer block is never closed"))
    return spans


def split_blocks(text: str) -> tuple[list[Block], list[Problem]]:
    """Blocks of non-blank lines; comment lines stay with the block they are in."""
    blocks: list[Block] = []
    errors: list[Problem] = []
    current: Block | None = None
    comments: list[tuple[int, str]] = []
    category: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            current, comments = None, []
            continue
        if COMMENT.match(line):
            (current.comments if current else comments).append((number, line))
            continue
        if current is None and (match := CATEGORY.match(line)):
            category = clean_category(match.group(1))
            if not category and not match.group(1).strip():
                errors.append(Problem.at(number, _l("$CATEGORY: needs a category name")))
            continue
        if current is None:
            current = Block(number, comments=comments, category=category)
            comments = []
            blocks.append(current)
        current.lines.append(line)
    return blocks, errors

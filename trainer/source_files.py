"""The one reader of source files (YAML) and the one `Problem` type every importer reports.

`parse_yaml(text, file)` gives plain Python data plus the line of every mapping key and item,
so a problem can name `file:line: field`. Loading is safe: only plain YAML types (SafeLoader),
no aliases (`*name`, the "billion laughs" expansion), a bounded nesting depth and file size.
Importers collect every `Problem` of a file and raise one `SourceFileError` with all of them
(nothing is imported when any is found); its message lists at most `MAX_REPORTED`.
"""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import yaml
from flask_babel import lazy_gettext as _l

from trainer.errors import DomainError

FieldPath = tuple[Any, ...]  # a value's place in the document, e.g. ("steps", 2, "script")

MAX_DEPTH = 40  # deeper nesting is no file a person writes
MAX_SOURCE_CHARS = 4_000_000
MAX_REPORTED = 100  # problems listed in an error message; the rest are counted
# libyaml when available: the pure-Python parser is ~10× slower on large files
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"


def load_yaml(text: str) -> Any:
    """`yaml.safe_load` on libyaml: plain YAML types only, no line numbers (see `parse_yaml`)."""
    return yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 (a safe loader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source file; str() gives `file:line: field: message`."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '-'}: {self.message}"

    @classmethod
    def at(cls, line: int, message: str, field: str = "") -> "Problem":
        """A problem found by a parser that reads text before anyone names its file (an
        upload); `in_file` names it later."""
        return cls("", line, field, message)

    def in_file(self, file: str) -> str:
        """`file:line: field: message`, leaving out an empty field (question bank reports)."""
        where = f"{self.field}: " if self.field else ""
        return f"{file}:{self.line}: {where}{self.message}"


class SourceFileError(DomainError, ValueError):
    """A file was refused; `problems` lists everything wrong with it, in file order.

    `document` is what could still be read (a duplicate key, a refused alias), so a library
    can go on checking the file against the others; None when nothing could.
    """

    def __init__(self, problems: list[Problem], document: "SourceDocument | None" = None):
        self.problems = list(problems)
        self.document = document
        super().__init__(report(self.problems))


def report(problems: list[Problem], limit: int = MAX_REPORTED) -> str:
    """The problems one per line, at most `limit` of them, then how many were left out."""
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… and {len(problems) - limit} more problems")
    return "\n".join(lines)


@contextmanager
def exit_on_problems(on_error: Callable[[], None] | None = None) -> Iterator[None]:
    """For a CLI command: a refused file prints every problem to stderr and exits with 1
    (after `on_error`, e.g. the session's rollback)."""
    try:
        yield
    except SourceFileError as exc:
        if on_error is not None:
            on_error()
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)


@dataclass
class SourceDocument:
    """A parsed file: plain Python data plus the 1-based line of every mapping key and item."""

    file: str
    data: Any
    lines: dict[FieldPath, int] = field(default_factory=dict)
    block_starts: dict[FieldPath, int] = field(default_factory=dict)  # first line of `|` text

    def text_line(self, path: FieldPath, line_in_text: int) -> int:
        """The file line of line `line_in_text` (1-based) of a text value."""
        start = self.block_starts.get(path)
        return start + line_in_text - 1 if start else self.line(path)

    def line(self, path: FieldPath) -> int:
        """The line of `path`, or of its nearest ancestor that has one (missing fields)."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def field_name(path: FieldPath) -> str:
    """('steps', 2, 'script') → 'steps[2].script'."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def parse_yaml(text: str, file: str, *, str_keys: bool = True) -> SourceDocument:
    """Parse one YAML document; raise SourceFileError listing every problem found.

    `str_keys` turns every mapping key into text (YAML reads `1:` as a number).
    """
    if len(text) > MAX_SOURCE_CHARS:
        raise SourceFileError([Problem(file, 1, "", _l("the file is too large"))])
    loader = YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SourceFileError([Problem(file, 1, "", _l("file is empty"))])
        builder = _Builder(file, loader, str_keys)
        data = builder.build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise SourceFileError(
            [Problem(file, line, "", _l("YAML syntax error: %(problem)s", problem=exc.problem))]
        ) from None
    except yaml.YAMLError as exc:  # e.g. ReaderError: a control character; it has no mark
        line = text.count("\n", 0, getattr(exc, "position", 0) or 0) + 1
        raise SourceFileError([Problem(file, line, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise SourceFileError([Problem(file, 1, "", _l("the file is nested too deeply"))]) from None
    finally:
        loader.dispose()
    document = SourceDocument(file, data, builder.lines, builder.block_starts)
    if builder.problems:
        raise SourceFileError(builder.problems, document)
    return document


def read_yaml(path: Path, display: str, *, str_keys: bool = True) -> SourceDocument:
    """Read and parse one file; `display` is the name problems give it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceFileError([Problem(display, 1, "", f"cannot read file: {exc}")]) from None
    return parse_yaml(text, display, str_keys=str_keys)


def read_yaml_into(path: Path, display: str, problems: list[Problem]) -> SourceDocument | None:
    """Read one file of a library that reports all its files' problems together: its problems
    go to `problems`; the result is what could be read (None when nothing could)."""
    try:
        return read_yaml(path, display)
    except SourceFileError as exc:
        problems.extend(exc.problems)
        return exc.document


class _Builder:
    """Plain data from the composed nodes, remembering lines and refusing what is unsafe."""

    def __init__(self, file: str, loader, str_keys: bool) -> None:
        self.file, self.loader, self.str_keys = file, loader, str_keys
        self.lines: dict[FieldPath, int] = {}
        self.block_starts: dict[FieldPath, int] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()  # an alias is the same node met again

    def problem(self, node: yaml.Node, path: FieldPath, message: str) -> None:
        self.problems.append(
            Problem(self.file, node.start_mark.line + 1, field_name(path), message)
        )

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        if id(node) in self.seen:
            self.problem(node, path, "aliases (*name) are not allowed; write the value out")
            return None
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            self.problem(node, path, f"nested deeper than {MAX_DEPTH} levels")
            return None
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                self.block_starts[path] = node.start_mark.line + 2  # the line after the indicator
            return self._scalar(node)
        return self.loader.construct_object(node, deep=True)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        # Most scalars are text, whose value is the node's: skip the constructor's dispatch.
        if node.tag == _STR_TAG:
            return node.value
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, "a key must be plain text")
                continue
            key = self._scalar(key_node)
            key = str(key) if self.str_keys else key
            if key in result:
                self.problem(key_node, (*path, key), "duplicate key")
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*path, key))
        return result

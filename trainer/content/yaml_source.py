"""Read YAML keeping the line of every value, so problems can name file:line:field."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from trainer.yaml_guard import check_yaml

FieldPath = tuple[str | int, ...]


@dataclass
class Problem:
    """One thing wrong with a library file; str() gives `file:line: field: message`."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field or '-'}: {self.message}"


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
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


class _Builder:
    def __init__(self, file: str) -> None:
        self.constructor = SafeConstructor()
        self.lines: dict[FieldPath, int] = {}
        self.block_starts: dict[FieldPath, int] = {}
        self.problems: list[Problem] = []
        self.file = file

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict = {}
            for key_node, value_node in node.value:
                key = self.constructor.construct_object(key_node, deep=True)
                key = str(key)
                if key in result:
                    self.problems.append(
                        Problem(
                            self.file,
                            key_node.start_mark.line + 1,
                            field_name((*path, key)),
                            "duplicate key",
                        )
                    )
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            self.block_starts[path] = node.start_mark.line + 2  # the line after the indicator
        return self.constructor.construct_object(node, deep=True)


def read_yaml(path: Path, display: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Parse one file; a syntax error becomes a Problem at the line YAML points to."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(display, 1, "", f"cannot read file: {exc}")]
    try:
        check_yaml(text)  # no aliases, bounded nesting (trainer/yaml_guard.py)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(display, line, "", f"YAML syntax error: {exc.problem}")]
    except yaml.YAMLError as exc:  # e.g. ReaderError: a control character; it has no mark
        line = text.count("\n", 0, getattr(exc, "position", 0) or 0) + 1
        return None, [Problem(display, line, "", f"YAML error: {exc}")]
    if node is None:
        return None, [Problem(display, 1, "", "file is empty")]
    builder = _Builder(display)
    try:
        data = builder.build(node, ())
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, "", f"YAML error: {exc}")]
    return SourceDocument(display, data, builder.lines, builder.block_starts), builder.problems

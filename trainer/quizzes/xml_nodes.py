"""A small element tree for one Moodle `<question>`, with line numbers, and its errors."""

from dataclasses import dataclass, field

from trainer.errors import DomainError


class XmlProblem(DomainError):
    """Something wrong at `line` of a Moodle XML file (`field` names the element)."""

    def __init__(self, line: int, message, /, field: str = "", **params) -> None:
        super().__init__(message, **params)
        self.line, self.field = line, field


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list["Node"] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    ignored: bool = False

    @property
    def value(self) -> str:
        """Own character data, trimmed as Moodle's importer trims it."""
        return "".join(self.parts).strip()

    def child(self, *path: str) -> "Node | None":
        node = self
        for tag in path:
            node = next((c for c in node.children if c.tag == tag), None)
            if node is None:
                return None
        return node

    def all(self, tag: str) -> list["Node"]:
        return [c for c in self.children if c.tag == tag]

    def text(self, *path: str, default: str = "") -> str:
        node = self.child(*path)
        return node.value if node is not None else default

    def has(self, tag: str) -> bool:
        return self.child(tag) is not None

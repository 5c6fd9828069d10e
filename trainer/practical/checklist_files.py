"""Practical-assessment checklist files (scripts_library/practical/*.yaml): validation.

Every problem is reported at once as `file:line: field: message`, so one pass fixes a file;
nothing is loaded while any file has a problem. Item references (`ref: open_account.greet`)
are checked against scripts_library/procedures/. The format is in the folder's README.md.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l

from trainer.config import ROOT
from trainer.internship.plan_files import known_procedures
from trainer.source_files import (
    Problem,
    SourceDocument,
    SourceFileError,
    field_name,
    read_yaml_into,
    report,
)

CHECKLISTS_DIR = ROOT / "scripts_library" / "practical"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,79}$")
CHECKLIST_FIELDS = {"key", "title", "programme", "description", "pass_percent", "items"}
ITEM_FIELDS = {"key", "section", "text", "guidance", "weight", "critical", "ref"}
MAX_WEIGHT = 100


class ChecklistFileError(SourceFileError):
    """Problems in checklist files; nothing was loaded. `problems` holds them all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.template = _l(
            "%(count)d problems in the practical checklists; nothing was loaded:\n%(list)s"
        )
        self.params = {"count": len(problems), "list": report(problems)}


@dataclass
class ChecklistData:
    key: str
    title: str
    programme_code: str | None
    description: str
    pass_percent: int
    source_name: str
    items: list[dict] = field(default_factory=list)


class _Reader:
    """Collects the problems of one document while reading its fields."""

    def __init__(self, doc: SourceDocument) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def problem(self, path: tuple, message) -> None:
        self.problems.append(Problem(self.doc.file, self.doc.line(path), field_name(path), message))

    def text(self, mapping: dict, path: tuple, required: bool = True) -> str:
        value = mapping.get(path[-1])
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(path, _l("is required"))
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(path, _l("must be text"))
            return ""
        return str(value).strip()

    def whole_number(self, mapping: dict, path: tuple, low: int, high: int, default=None):
        value = mapping.get(path[-1], default)
        if value is None:
            self.problem(path, _l("is required"))
            return low
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(
                path, _l("must be a whole number from %(low)d to %(high)d", low=low, high=high)
            )
            return low
        return value

    def unknown_fields(self, mapping: dict, allowed: set[str], path: tuple) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(
                    (*path, key),
                    _l("unknown field (allowed: %(fields)s)", fields=", ".join(sorted(allowed))),
                )


def parse_checklist(
    doc: SourceDocument, procedures: dict[str, set[str]] | None = None
) -> tuple[ChecklistData | None, list[Problem]]:
    """Validate one parsed file; return the checklist (None if unusable) and its problems."""
    reader = _Reader(doc)
    data = doc.data
    if not isinstance(data, dict):
        reader.problem((), _l("must be a mapping with key, title, pass_percent and items"))
        return None, reader.problems
    reader.unknown_fields(data, CHECKLIST_FIELDS, ())
    checklist = ChecklistData(
        key=reader.text(data, ("key",)),
        title=reader.text(data, ("title",)),
        programme_code=reader.text(data, ("programme",), required=False) or None,
        description=reader.text(data, ("description",), required=False),
        pass_percent=reader.whole_number(data, ("pass_percent",), 1, 100),
        source_name=doc.file,
    )
    if checklist.key and not KEY_PATTERN.match(checklist.key):
        reader.problem(("key",), _l("use lowercase letters, digits, - and _"))
    items = data.get("items")
    if not isinstance(items, list) or not items:
        reader.problem(("items",), _l("must be a non-empty list of items"))
        items = []
    seen: set[str] = set()
    for index, raw in enumerate(items):
        item = _parse_item(reader, raw, ("items", index), procedures)
        if item is None:
            continue
        if item["key"] in seen:
            reader.problem(("items", index, "key"), _l("duplicate item key"))
        seen.add(item["key"])
        checklist.items.append(item)
    if checklist.items and not any(item["critical"] for item in checklist.items):
        reader.problem(("items",), _l("mark at least one item critical: true"))
    return checklist, reader.problems


def _parse_item(reader: _Reader, raw, path: tuple, procedures) -> dict | None:
    if not isinstance(raw, dict):
        reader.problem(path, _l("must be a mapping with key, text and weight"))
        return None
    reader.unknown_fields(raw, ITEM_FIELDS, path)
    key = reader.text(raw, (*path, "key"))
    if key and not KEY_PATTERN.match(key):
        reader.problem((*path, "key"), _l("use lowercase letters, digits, - and _"))
    critical = raw.get("critical", False)
    if not isinstance(critical, bool):
        reader.problem((*path, "critical"), _l("must be true or false"))
        critical = False
    ref = reader.text(raw, (*path, "ref"), required=False) or None
    if ref and procedures is not None:
        procedure, _dot, step = ref.partition(".")
        if procedure not in procedures or (step and step not in procedures[procedure]):
            reader.problem((*path, "ref"), _l("unknown procedure step %(ref)s", ref=ref))
    return {
        "key": key,
        "section": reader.text(raw, (*path, "section"), required=False),
        "text": reader.text(raw, (*path, "text")),
        "guidance": reader.text(raw, (*path, "guidance"), required=False),
        "weight": reader.whole_number(raw, (*path, "weight"), 1, MAX_WEIGHT),
        "critical": critical,
        "ref": ref,
    }


def checklist_paths(directory: Path = CHECKLISTS_DIR) -> list[Path]:
    return sorted(directory.glob("*.y*ml")) if directory.is_dir() else []


def parse_checklist_files(paths: list[Path] | None = None) -> list[ChecklistData]:
    """Validate every file; raise ChecklistFileError listing every problem of every file."""
    paths = checklist_paths() if paths is None else paths
    procedures = known_procedures()
    problems: list[Problem] = []
    checklists: list[ChecklistData] = []
    keys: dict[str, str] = {}
    for path in paths:
        display = _display(path)
        doc = read_yaml_into(path, display, problems)
        if doc is None:
            continue
        checklist, found = parse_checklist(doc, procedures)
        problems += found
        if checklist is None:
            continue
        if checklist.key in keys:
            problems.append(
                Problem(
                    display,
                    doc.line(("key",)),
                    "key",
                    _l(
                        "the key %(key)s is also used by %(other)s",
                        key=checklist.key,
                        other=keys[checklist.key],
                    ),
                )
            )
        keys[checklist.key] = display
        checklists.append(checklist)
    if problems:
        raise ChecklistFileError(problems)
    return checklists


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)

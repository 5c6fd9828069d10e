"""The kinds of library item a status page compares, registered by their features, and the
pure rules: what differs between the database and the files, and a side-by-side diff."""

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from flask import Flask, current_app

from trainer.config import ROOT
from trainer.library.models import LibraryItem


def library_path(*parts: str) -> Path:
    """Where the status page reads the repository's files: LIBRARY_DIR (tests point it at a
    copy), else scripts_library/; `question_banks` sits beside it as in the repository."""
    root = Path(current_app.config.get("LIBRARY_DIR") or ROOT / "scripts_library")
    if parts and parts[0] == "question_banks":
        return root.parent.joinpath(*parts)
    return root.joinpath(*parts)


class ItemInvalid(ValueError):
    """A text (a file's or one merged by hand) does not pass the loader's checks; str() lists
    each problem on its own line, naming line and field."""

    def __init__(self, problems: list) -> None:
        self.problems = [str(p) for p in problems]
        super().__init__("\n".join(self.problems))


class Version:
    """One side of an item: the digest the reload compares and the text a trainer reads.

    The text may be given as a function: writing an item out as YAML costs milliseconds, and
    most items agree on both sides, so only the texts someone reads are written."""

    __slots__ = ("_text", "digest")

    def __init__(self, digest: str, text: str | Callable[[], str]) -> None:
        self.digest = digest
        self._text = text

    @property
    def text(self) -> str:
        if callable(self._text):
            self._text = self._text()
        return self._text


@dataclass(frozen=True)
class LibraryKind:
    """How a feature shows and resolves one kind of item.

    `file_versions()` and `db_versions()` map key → Version (the files are read and checked;
    an invalid file raises the feature's own error). `take_file(actor, key, text)` stores the
    file's text as the current version; `save_text(actor, key, text)` stores a text a trainer
    merged by hand (a UI edit). Both validate as the loader does, version and audit.
    """

    name: str
    label: object  # lazy translated label
    file_versions: Callable[[], dict[str, Version]]
    db_versions: Callable[[], dict[str, Version]]
    take_file: Callable[[object, str, str], None]
    save_text: Callable[[object, str, str], None]
    order: int = 100


def register_library_kind(app: Flask, kind: LibraryKind) -> None:
    app.extensions["library_kinds"][kind.name] = kind


def library_kinds() -> list[LibraryKind]:
    return sorted(current_app.extensions["library_kinds"].values(), key=lambda k: k.order)


def library_kind(name: str) -> LibraryKind | None:
    return current_app.extensions["library_kinds"].get(name)


class Difference(StrEnum):
    NEW_IN_UI = "new_in_ui"  # created or edited in the UI since the file was loaded
    NEW_IN_FILES = "new_in_files"  # a new or changed file the next reload takes
    CONFLICT = "conflict"  # both changed: the UI version is current, the file's waits


@dataclass(frozen=True)
class Entry:
    kind: str
    key: str
    difference: Difference
    file: Version | None
    db: Version | None
    rows: list = field(default_factory=list, compare=False)


def difference_of(
    file: Version | None, db: Version | None, item: LibraryItem | None
) -> Difference | None:
    """None when the database holds the file's content, else what kind of difference."""
    if file is None:
        return Difference.NEW_IN_UI if db is not None else None
    if db is None:
        return Difference.NEW_IN_FILES
    if file.digest == db.digest:
        return None
    base = item.base_digest if item is not None else None
    if item is not None and item.pending_digest is not None:
        return Difference.CONFLICT
    if base is None or db.digest == base:
        return Difference.NEW_IN_FILES
    if file.digest == base:
        return Difference.NEW_IN_UI
    return Difference.CONFLICT


def side_by_side(left: str, right: str, context: int | None = 3) -> list[tuple[str, str, str]]:
    """Rows (database line, file line, tag) with tag equal | changed | removed | added; runs
    of equal lines farther than `context` lines from a change fold into one "skip" row."""
    rows = _aligned(left, right)
    if context is None:
        return rows
    near = set()
    for index, row in enumerate(rows):
        if row[2] != "equal":
            near.update(range(index - context, index + context + 1))
    folded: list[tuple[str, str, str]] = []
    for index, row in enumerate(rows):
        if index in near:
            folded.append(row)
        elif not folded or folded[-1][2] != "skip":
            folded.append(("…", "…", "skip"))
    return folded


def _aligned(left: str, right: str) -> list[tuple[str, str, str]]:
    a, b = left.splitlines(), right.splitlines()
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [
                (a[i], b[j], "equal") for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        left_lines, right_lines = a[i1:i2], b[j1:j2]
        for n in range(max(len(left_lines), len(right_lines))):
            old = left_lines[n] if n < len(left_lines) else None
            new = right_lines[n] if n < len(right_lines) else None
            if old is None:
                rows.append(("", new, "added"))
            elif new is None:
                rows.append((old, "", "removed"))
            else:
                rows.append((old, new, "changed"))
    return rows

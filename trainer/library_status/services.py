"""What differs between the database and the repository's files, and a trainer's resolution
of one item: take the file, keep mine, or merge by hand. Every resolution is audited."""

from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from trainer.audit.services import record
from trainer.errors import DomainError
from trainer.library.kinds import (
    Difference,
    Entry,
    difference_of,
    library_kind,
    library_kinds,
    side_by_side,
)
from trainer.library.sync import items_of, remember_loaded

DIFFERENCE_LABELS = {
    Difference.NEW_IN_UI: _l("New in the UI"),
    Difference.NEW_IN_FILES: _l("New in the files"),
    Difference.CONFLICT: _l("Conflict"),
}


class Resolution(StrEnum):
    TAKE_FILE = "take_file"
    KEEP_MINE = "keep_mine"
    MERGE = "merge"


@dataclass
class KindStatus:
    name: str
    label: object
    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the files do not pass their checks


def library_status(with_diffs: bool = True, only: str | None = None) -> list[KindStatus]:
    """Every kind of item (or kind `only`) with what differs; reads only (GET-safe)."""
    statuses = []
    for kind in library_kinds():
        if only is not None and kind.name != only:
            continue
        status = KindStatus(kind.name, kind.label)
        statuses.append(status)
        try:
            files = kind.file_versions()
        except ValueError as exc:
            status.problems = str(exc).splitlines()
            continue
        stored = kind.db_versions()
        items = items_of(kind.name)
        for key in sorted(set(files) | set(stored)):
            file, db = files.get(key), stored.get(key)
            difference = difference_of(file, db, items.get(key))
            if difference is None:
                continue
            rows = (
                side_by_side(db.text if db else "", file.text if file else "") if with_diffs else []
            )
            status.entries.append(Entry(kind.name, key, difference, file, db, rows))
    return statuses


def resolve(actor, kind_name: str, key: str, resolution: Resolution, text: str = "") -> None:
    """Resolve one item. take_file: the file's version becomes current (a new version);
    keep_mine: the database stays and the file's version counts as seen, so reloads keep it;
    merge: `text` (edited by the trainer) is saved as a UI version and the file counts as seen.
    Raises DomainError for an unknown item, ValueError (lines) for a text that fails checks."""
    kind = library_kind(kind_name)
    if kind is None:
        raise DomainError(_l("Unknown kind of library item."))
    files = kind.file_versions()
    file = files.get(key)
    stored = kind.db_versions().get(key)
    if file is None and stored is None:
        raise DomainError(_l("Unknown library item."))
    if file is None and resolution is not Resolution.MERGE:
        raise DomainError(_l("This item is in no file; export the library to write it."))
    before = {"db": stored.digest if stored else None, "file": file.digest if file else None}
    if resolution is Resolution.TAKE_FILE:
        kind.take_file(actor, key, file.text)
    elif resolution is Resolution.MERGE:
        if not text.strip():
            raise DomainError(_l("The merged text is empty."))
        kind.save_text(actor, key, text.replace("\r\n", "\n"))
    # The file's version counts as seen: the next reload keeps what the database now holds.
    row = remember_loaded(kind_name, key, file.digest if file is not None else None)
    after = kind.db_versions().get(key)
    record(
        actor,
        f"library.{resolution.value}",
        row,
        before=before,
        after={"kind": kind_name, "key": key, "db": after.digest if after else None},
    )

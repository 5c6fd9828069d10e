"""Three-way reload: the file, the database, and the file content the database last loaded.

File unchanged since the last load → the database stays (UI edits survive). File changed and
the item not edited in the UI → the file is taken. Both changed → the UI version stays
current, the file's version waits as pending, and the reload reports a conflict.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum

from flask import g
from sqlalchemy import select

from trainer import clock
from trainer.extensions import db
from trainer.library.models import LibraryItem


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT = "kept"  # edited in the UI, file unchanged: the database stays
    CONFLICT = "conflict"

    @property
    def takes_file(self) -> bool:
        return self in (Outcome.CREATED, Outcome.UPDATED)


# The words of the reload output, per outcome.
OUTCOME_LABELS = {
    Outcome.CREATED: "created",
    Outcome.UPDATED: "updated",
    Outcome.UNCHANGED: "unchanged",
    Outcome.KEPT: "kept (edited in UI)",
    Outcome.CONFLICT: "conflicts",
}


def digest(content) -> str:
    """sha256 of a text, or of data written as canonical JSON."""
    if not isinstance(content, str):
        content = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def decide_outcome(
    file_digest: str,
    db_digest: str | None,
    base_digest: str | None,
    edited_before_tracking: Callable[[], bool] = lambda: False,
) -> Outcome:
    """The rule, without side effects. `base_digest` None: loaded before digests were kept,
    so `edited_before_tracking` says whether the UI changed the item since."""
    if db_digest is None:
        return Outcome.CREATED
    if db_digest == file_digest:
        return Outcome.UNCHANGED
    if base_digest is None:
        return Outcome.CONFLICT if edited_before_tracking() else Outcome.UPDATED
    if file_digest == base_digest:
        return Outcome.KEPT
    if db_digest == base_digest:
        return Outcome.UPDATED
    return Outcome.CONFLICT


def item_of(kind: str, key: str) -> LibraryItem | None:
    return db.session.scalar(
        select(LibraryItem).where(LibraryItem.kind == kind, LibraryItem.key == key)
    )


def items_of(kind: str) -> dict[str, LibraryItem]:
    return {
        item.key: item
        for item in db.session.scalars(select(LibraryItem).where(LibraryItem.kind == kind))
    }


def remember_loaded(kind: str, key: str, file_digest: str | None) -> LibraryItem:
    """The database now holds (or has accepted) the file content with `file_digest`."""
    item = item_of(kind, key)
    if item is None:
        item = LibraryItem(kind=kind, key=key)
        db.session.add(item)
    item.base_digest = file_digest
    item.pending = item.pending_digest = item.pending_since = None
    db.session.flush()
    return item


class Reconciler:
    """The decisions of one reload, per kind; keeps each item's record up to date."""

    def __init__(self) -> None:
        self.outcomes: dict[str, dict[Outcome, list[str]]] = defaultdict(lambda: defaultdict(list))
        self._items: dict[str, dict[str, LibraryItem]] = {}

    def decide(
        self,
        kind: str,
        key: str,
        file_digest: str,
        db_digest: str | None,
        pending,
        edited_before_tracking: Callable[[], bool] = lambda: False,
    ) -> Outcome:
        """Decide and record; the caller applies the file when `outcome.takes_file`.
        `pending` (JSON-able) is what a conflict stores: the file's version of the item."""
        if kind not in self._items:
            self._items[kind] = items_of(kind)
        item = self._items[kind].get(key)
        base = item.base_digest if item is not None else None
        outcome = decide_outcome(file_digest, db_digest, base, edited_before_tracking)
        if item is None:  # no query per item: the kind's records were read once above
            item = LibraryItem(kind=kind, key=key)
            db.session.add(item)
        if outcome is Outcome.CONFLICT:
            if item.pending_digest != file_digest:
                item.pending, item.pending_digest = pending, file_digest
                item.pending_since = clock.now()
        elif outcome is Outcome.KEPT:
            if item.pending_digest is not None:
                item.pending = item.pending_digest = item.pending_since = None
        elif item.base_digest != file_digest or item.pending_digest is not None:
            item.base_digest = file_digest
            item.pending = item.pending_digest = item.pending_since = None
        self._items[kind][key] = item
        self.outcomes[kind][outcome].append(key)
        return outcome

    @property
    def conflicts(self) -> int:
        return sum(len(by[Outcome.CONFLICT]) for by in self.outcomes.values())

    def lines(self) -> list[str]:
        """Per kind: counts of each outcome, then the keys kept and in conflict."""
        out = []
        for kind in sorted(self.outcomes):
            by = self.outcomes[kind]
            counts = ", ".join(f"{len(by[o])} {OUTCOME_LABELS[o]}" for o in Outcome)
            out.append(f"{kind}: {counts}")
            for outcome in (Outcome.KEPT, Outcome.CONFLICT):
                out += [f"  {OUTCOME_LABELS[outcome]}: {key}" for key in by[outcome]]
        return out


@contextmanager
def reloading(reconciler: Reconciler | None = None) -> Iterator[Reconciler]:
    """Library loaders called inside see `active_reload()` and reload three-way."""
    reconciler = reconciler or Reconciler()
    previous = g.get("library_reload")
    g.library_reload = reconciler
    try:
        yield reconciler
    finally:
        g.library_reload = previous


def active_reload() -> Reconciler | None:
    return g.get("library_reload")

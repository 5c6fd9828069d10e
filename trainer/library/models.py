"""What the library last loaded: per item, the digest of the file content it came from, and a
file version waiting for a trainer's decision when the file and the UI both changed."""

from datetime import datetime

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainer.db import Base


class LibraryItem(Base):
    """One library item (a question, module, procedure, phrase, scenario or plan) by kind and key.

    `base_digest` is the digest of the item's file content when it was last loaded (or a
    conflict was resolved); the database equals that content until someone edits it in the UI.
    """

    __tablename__ = "library_item"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(255))
    base_digest: Mapped[str | None] = mapped_column(String(64))
    pending_digest: Mapped[str | None] = mapped_column(String(64))
    pending: Mapped[dict | None] = mapped_column(JSON)  # the file's version, kind-specific
    pending_since: Mapped[datetime | None]

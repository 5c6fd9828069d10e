"""The blob table: stored files kept in the database (the default storage backend)."""

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from trainer import clock
from trainer.db import Base


class StoredFile(Base):
    """One stored file by key (`certificates/2027/SQ-2027-000001.pdf`, `question-assets/<sha>`).

    In the database every app instance sees the same files, so a second server behind a load
    balancer serves what the first stored; the SHA-256 lets backups and migrations check them.
    """

    __tablename__ = "stored_file"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

"""One row per run of a scheduled job: which occurrence it was, how it ended."""

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainer import clock
from trainer.db import Base


class JobRun(Base):
    """A claimed occurrence of a job.

    The unique (name, slot) pair is the claim: two schedulers (or a scheduler restarted while
    its twin still runs) that both find the same occurrence due insert the same row, and only
    the one whose insert succeeds runs it. Manual runs take a slot of their own.
    """

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("name", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    slot: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=clock.now)
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(20))  # done | failed
    summary: Mapped[str | None] = mapped_column(String(2000))

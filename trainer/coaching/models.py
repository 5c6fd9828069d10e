"""One-to-one coaching talks (面谈辅导): what was discussed, what was agreed, how it went."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.accounts.models import User
from trainer.db import Base, TimestampMixin


class CoachingRecord(TimestampMixin, Base):
    """A coaching talk with one trainee, opened from their weak areas.

    Open until the coach records the outcome (usually at the follow-up); the trainee
    acknowledges having read it, which is the record that the talk happened.
    """

    __tablename__ = "coaching_record"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status_known"),
        CheckConstraint(
            "follow_up_on IS NULL OR follow_up_on >= held_on", name="follow_up_after_talk"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolment.id", ondelete="SET NULL")
    )
    held_on: Mapped[date]
    # The weak areas the talk was about: [{"kind": "topic"|"step"|"phrase"|"element", "key",
    # "label"}], copied so the record still reads right after the numbers move on.
    focus: Mapped[list] = mapped_column(default=list)
    discussion: Mapped[str] = mapped_column(Text, default="")
    agreed_actions: Mapped[str] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    outcome: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    trainee_comment: Mapped[str | None] = mapped_column(String(1000))

    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id], lazy="joined")
    coach: Mapped[User] = relationship(foreign_keys=[coach_id], lazy="joined")

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

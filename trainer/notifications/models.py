"""In-app notifications and each user's e-mail preference.

A notification stores its text as a msgid and parameters (rendered in the reader's language
when shown or mailed) and its link as an endpoint and arguments (built when shown). A
`dedupe_key`, unique per user, makes every delivery idempotent: the same event handled twice,
or a daily job run twice on a day, adds nothing.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainer import clock
from trainer.db import Base


class MailState:
    """Where a notification's e-mail stands (`Notification.mail_state`)."""

    PENDING = "pending"  # the mail job sends it
    SENT = "sent"
    LOGGED = "logged"  # no MAIL_SERVER: written to the log instead
    SKIPPED = "skipped"  # the user turned e-mail off, or has no address
    FAILED = "failed"


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notification_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(String(500))  # a msgid, translated when shown
    params: Mapped[dict] = mapped_column(default=dict)
    endpoint: Mapped[str | None] = mapped_column(String(80))
    link_args: Mapped[dict] = mapped_column(default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    read_at: Mapped[datetime | None]
    # pending | sent | logged | skipped | failed, or a claim token while the mail job sends
    mail_state: Mapped[str] = mapped_column(String(20), default=MailState.PENDING, index=True)
    mailed_at: Mapped[datetime | None]

    @property
    def unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(Base):
    """A user's choices; no row means the defaults (e-mail on)."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[bool] = mapped_column(default=True)

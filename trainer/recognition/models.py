"""Awards that motivate window staff: 服务之星 (star clerk) and 示范窗口 (model window)."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer import clock
from trainer.accounts.models import Hall, User
from trainer.db import Base


class AwardKind(StrEnum):
    STAR_CLERK = "star_clerk"  # 服务之星: a person
    MODEL_WINDOW = "model_window"  # 示范窗口: a hall (its window), shown on its staff's badges

    @property
    def label(self) -> str:
        return str(AWARD_LABELS[self])


AWARD_LABELS = {
    AwardKind.STAR_CLERK: _l("Service star"),
    AwardKind.MODEL_WINDOW: _l("Model window"),
}


class Award(Base):
    """One award for one month. A star clerk names a person, a model window names a hall."""

    __tablename__ = "award"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'star_clerk' AND user_id IS NOT NULL) OR "
            "(kind = 'model_window' AND hall_id IS NOT NULL)",
            name="names_its_winner",
        ),
        # Awarding the same person or hall twice for the same month is the same award
        # (partial indexes: a plain unique constraint lets NULL columns repeat).
        Index(
            "uq_award_star_clerk",
            "month",
            "user_id",
            unique=True,
            sqlite_where=text("kind = 'star_clerk'"),
            postgresql_where=text("kind = 'star_clerk'"),
        ),
        Index(
            "uq_award_model_window",
            "month",
            "hall_id",
            unique=True,
            sqlite_where=text("kind = 'model_window'"),
            postgresql_where=text("kind = 'model_window'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored by value ('star_clerk'), which the check constraint and partial indexes name.
    kind: Mapped[AwardKind] = mapped_column(
        SAEnum(
            AwardKind,
            native_enum=False,
            length=20,
            validate_strings=True,
            values_callable=lambda kinds: [k.value for k in kinds],
        )
    )
    month: Mapped[date] = mapped_column(index=True)  # first day of the month awarded for
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    hall_id: Mapped[int | None] = mapped_column(
        ForeignKey("hall.id", ondelete="CASCADE"), index=True
    )
    citation: Mapped[str] = mapped_column(Text)
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    awarded_at: Mapped[datetime] = mapped_column(default=clock.now)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(1000))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="joined")
    hall: Mapped[Hall | None] = relationship(lazy="joined")
    awarded_by: Mapped[User | None] = relationship(foreign_keys=[awarded_by_id])

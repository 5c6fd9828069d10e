"""Practical assessment (实操考核) models: the checklist loaded from the library, and each
assessment an observer records at the counter (never deleted: withdrawn with a reason)."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer import clock
from trainer.accounts.models import User
from trainer.db import Base, TimestampMixin
from trainer.training.models import Enrolment


class ItemResult(StrEnum):
    """What the observer saw for one checklist item (达标 / 部分达标 / 未达标)."""

    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"

    @property
    def label(self) -> str:
        return str(RESULT_LABELS[self])

    @property
    def factor(self) -> float:
        """The share of the item's weight this result earns."""
        return RESULT_FACTORS[self]


RESULT_LABELS = {
    ItemResult.MET: _l("Met"),
    ItemResult.PARTLY: _l("Partly met"),
    ItemResult.NOT_MET: _l("Not met"),
}
RESULT_FACTORS = {ItemResult.MET: 1.0, ItemResult.PARTLY: 0.5, ItemResult.NOT_MET: 0.0}


class ObserverRole(StrEnum):
    """In which capacity the observer signed: the trainee's mentor, the placement's duty
    manager, or a trainer."""

    MENTOR = "mentor"
    DUTY_MANAGER = "duty_manager"
    TRAINER = "trainer"

    @property
    def label(self) -> str:
        return str(OBSERVER_LABELS[self])


OBSERVER_LABELS = {
    ObserverRole.MENTOR: _l("Mentor"),
    ObserverRole.DUTY_MANAGER: _l("Duty manager"),
    ObserverRole.TRAINER: _l("Trainer"),
}


class PracticalChecklist(TimestampMixin, Base):
    """A checklist loaded from scripts_library/practical/ (one per programme is in force)."""

    __tablename__ = "practical_checklist"
    __table_args__ = (CheckConstraint("pass_percent BETWEEN 1 AND 100", name="pass_percent_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    programme_code: Mapped[str | None] = mapped_column(String(40), index=True)
    pass_percent: Mapped[int]
    # [{"key", "section", "text", "guidance", "weight", "critical", "ref"}, ...] in file order
    items: Mapped[list] = mapped_column(default=list)
    source_name: Mapped[str | None] = mapped_column(String(255))
    # A checklist dropped from the library is retired, not deleted: assessments point at it.
    retired: Mapped[bool] = mapped_column(default=False)

    @property
    def max_score(self) -> int:
        return sum(item["weight"] for item in self.items)


class PracticalAssessment(Base):
    """One observed practical assessment, scored and signed by the observer."""

    __tablename__ = "practical_assessment"
    __table_args__ = (
        # The form carries a one-time token: a double tap sends it twice, the database keeps one.
        UniqueConstraint("idempotency_token"),
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    checklist_id: Mapped[int] = mapped_column(ForeignKey("practical_checklist.id"))
    observer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    observer_role: Mapped[str] = mapped_column(String(20))
    observed_on: Mapped[date]
    # Snapshot of the checklist as scored: [{key, section, text, weight, critical, result, note}]
    results: Mapped[list] = mapped_column(default=list)
    score: Mapped[float]
    max_score: Mapped[float]
    percent: Mapped[float]
    pass_percent: Mapped[int]
    passed: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    idempotency_token: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(default=clock.now)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(String(1000))

    enrolment: Mapped[Enrolment] = relationship(lazy="joined")
    checklist: Mapped[PracticalChecklist] = relationship(lazy="joined")
    observer: Mapped[User] = relationship(foreign_keys=[observer_id], lazy="joined")
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def counts(self) -> bool:
        """A pass that still stands."""
        return self.passed and not self.withdrawn

    @property
    def role(self) -> ObserverRole:
        return ObserverRole(self.observer_role)

    @property
    def critical_failures(self) -> list[dict]:
        return [r for r in self.results if r["critical"] and r["result"] == ItemResult.NOT_MET]

"""Programmes, cohorts, enrolments and the history of each trainee's stage."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy import Enum as SAEnum
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer import clock
from trainer.accounts.models import User
from trainer.db import Base, TimestampMixin
from trainer.training.stages import Stage

STAGE_ENUM = SAEnum(Stage, native_enum=False, length=30, validate_strings=True)


class Programme(TimestampMixin, Base):
    """A certification programme, e.g. 营业厅综合柜员上岗培训; its settings drive the path."""

    __tablename__ = "programme"
    __table_args__ = (
        CheckConstraint("internship_days > 0", name="internship_days_positive"),
        CheckConstraint("certificate_valid_days > 0", name="certificate_valid_days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(2000))
    internship_days: Mapped[int] = mapped_column(default=30)
    exam_attempts: Mapped[int] = mapped_column(default=3)
    certificate_valid_days: Mapped[int] = mapped_column(default=730)
    # 禁语一票否决: any forbidden phrase fails the drill reply and its scene
    forbidden_veto: Mapped[bool] = mapped_column(default=True, server_default=sa_true())


class Cohort(TimestampMixin, Base):
    """A group of new hires trained together by one trainer (培训班)."""

    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    trainer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    start_date: Mapped[date]

    programme: Mapped[Programme] = relationship(lazy="joined")
    trainer: Mapped[User] = relationship(lazy="joined")
    enrolments: Mapped[list["Enrolment"]] = relationship(back_populates="cohort")


class Enrolment(TimestampMixin, Base):
    """One trainee on one programme: where they are on the path."""

    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("user_id", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id"), index=True)
    stage: Mapped[Stage] = mapped_column(STAGE_ENUM, default=Stage.ENROLLED, index=True)
    stage_changed_at: Mapped[datetime] = mapped_column(default=clock.now)

    user: Mapped[User] = relationship(lazy="joined")
    programme: Mapped[Programme] = relationship(lazy="joined")
    cohort: Mapped[Cohort | None] = relationship(back_populates="enrolments")
    stage_changes: Mapped[list["StageChange"]] = relationship(
        back_populates="enrolment", order_by="StageChange.id", cascade="all, delete-orphan"
    )


class StageChange(Base):
    """History of the path, for the funnel and time-in-stage reports.

    Every move is one step forward, so a trainee enters each stage at most once: the unique
    (enrolment, to_stage) key lets the database refuse a second record of the same move.
    """

    __tablename__ = "stage_change"
    __table_args__ = (UniqueConstraint("enrolment_id", "to_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[Stage | None] = mapped_column(STAGE_ENUM)
    to_stage: Mapped[Stage] = mapped_column(STAGE_ENUM)
    changed_at: Mapped[datetime] = mapped_column(default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    override_reason: Mapped[str | None] = mapped_column(String(1000))

    enrolment: Mapped[Enrolment] = relationship(back_populates="stage_changes")

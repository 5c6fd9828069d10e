"""Internship (传帮带) models: plan templates and tasks, placements, logs, absences, sign-offs."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer import clock
from trainer.accounts.models import Hall, User
from trainer.db import Base, TimestampMixin
from trainer.training.models import Enrolment


class Grade(StrEnum):
    """The mentor's verdict on one observation (不合格 / 合格 / 优秀)."""

    FAIL = "fail"
    PASS = "pass"
    EXCELLENT = "excellent"

    @property
    def label(self) -> str:
        return str(GRADE_LABELS[self])

    @property
    def successful(self) -> bool:
        return self is not Grade.FAIL


GRADE_LABELS = {Grade.FAIL: _l("Fail"), Grade.PASS: _l("Pass"), Grade.EXCELLENT: _l("Excellent")}


class InternshipPlan(TimestampMixin, Base):
    """A plan template: tasks grouped by week, loaded from scripts_library/internship/."""

    __tablename__ = "internship_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    programme_code: Mapped[str | None] = mapped_column(String(40))
    # The YAML the plan was loaded from, so trainers edit the same text the repository holds.
    source_text: Mapped[str] = mapped_column(Text, default="")
    source_name: Mapped[str | None] = mapped_column(String(255))

    tasks: Mapped[list["PlanTask"]] = relationship(
        back_populates="plan",
        order_by=lambda: (PlanTask.week, PlanTask.position),
        cascade="all, delete-orphan",
    )


class PlanTask(Base):
    """One task of a plan: what the mentor checks, whether it is required, how many times."""

    __tablename__ = "internship_task"
    __table_args__ = (
        UniqueConstraint("plan_id", "key"),
        CheckConstraint("observations_needed >= 1", name="observations_needed_positive"),
        CheckConstraint("week >= 1", name="week_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("internship_plan.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    week: Mapped[int]
    week_title: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    procedure_key: Mapped[str | None] = mapped_column(String(80))
    required: Mapped[bool] = mapped_column(default=True)
    observations_needed: Mapped[int] = mapped_column(default=1)
    needs_duty_manager: Mapped[bool] = mapped_column(default=False)
    # [{"text": "...", "ref": "open_account.verify_identity" | None}, ...]
    checklist: Mapped[list] = mapped_column(default=list)
    # A task dropped from the file is retired, not deleted: sign-offs may point at it.
    retired: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[InternshipPlan] = relationship(back_populates="tasks")


class Placement(TimestampMixin, Base):
    """A trainee placed in a hall with a mentor. Reassignment ends this row and adds a new one,
    keeping `start_date` (when the internship began), so history is never overwritten."""

    __tablename__ = "placement"
    __table_args__ = (
        # At most one active placement per enrolment.
        Index(
            "uq_placement_active_enrolment",
            "enrolment_id",
            unique=True,
            sqlite_where=text("active = 1"),
            postgresql_where=text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("internship_plan.id"))
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    duty_manager_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    start_date: Mapped[date]
    assigned_on: Mapped[date]
    active: Mapped[bool] = mapped_column(default=True)
    ended_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(String(500))
    placed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    enrolment: Mapped[Enrolment] = relationship(lazy="joined")
    plan: Mapped[InternshipPlan] = relationship()
    hall: Mapped[Hall] = relationship(lazy="joined")
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined")
    duty_manager: Mapped[User | None] = relationship(foreign_keys=[duty_manager_id])


class Absence(Base):
    """A day the trainee did not intern (sick leave, training elsewhere): not counted."""

    __tablename__ = "internship_absence"
    __table_args__ = (UniqueConstraint("enrolment_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date]
    reason: Mapped[str] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)


class LogEntry(Base):
    """The trainee's practice log: what happened and what they learned."""

    __tablename__ = "internship_log_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int | None] = mapped_column(ForeignKey("internship_task.id"))
    day: Mapped[date]
    what_happened: Mapped[str] = mapped_column(Text)
    reflection: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    task: Mapped[PlanTask | None] = relationship(lazy="joined")
    comments: Mapped[list["LogComment"]] = relationship(
        order_by="LogComment.id", cascade="all, delete-orphan", lazy="selectin"
    )


class LogComment(Base):
    __tablename__ = "internship_log_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("internship_log_entry.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    author: Mapped[User] = relationship(lazy="joined")


class SignOff(Base):
    """One observation of a task, signed by the mentor. Never deleted: withdrawn with a reason."""

    __tablename__ = "internship_sign_off"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        # The form carries a one-time token: a double tap sends it twice, the database keeps one.
        UniqueConstraint("idempotency_token"),
        # observations of one task by one trainee, counted for overdue tasks and progress
        Index("ix_internship_sign_off_enrolment_task", "enrolment_id", "task_id"),
        # the standings read a window of observation days
        Index("ix_internship_sign_off_observed_on", "observed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int] = mapped_column(ForeignKey("internship_task.id"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    duty_manager_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    observed_on: Mapped[date]
    # Snapshot of the checklist as the mentor saw it: [{"text": ..., "observed": bool}]
    items: Mapped[list] = mapped_column(default=list)
    rating: Mapped[int]
    grade: Mapped[Grade] = mapped_column(SAEnum(Grade, native_enum=False, length=20))
    comment: Mapped[str] = mapped_column(Text, default="")
    idempotency_token: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(default=clock.now)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(String(1000))
    countersigned_at: Mapped[datetime | None]
    countersigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    task: Mapped[PlanTask] = relationship(lazy="joined")
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined")
    countersigned_by: Mapped[User | None] = relationship(
        foreign_keys=[countersigned_by_id], lazy="joined"
    )

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def counts(self) -> bool:
        """A successful observation that still stands."""
        return not self.withdrawn and self.grade.successful

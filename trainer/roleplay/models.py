"""Scenarios (versioned), drill sessions, every move a trainee made, and trainers' overrides."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer import clock
from trainer.accounts.models import User
from trainer.db import Base, TimestampMixin


class Scenario(TimestampMixin, Base):
    """A role-play scene (模拟演练场景); its content lives in versions."""

    __tablename__ = "scenario"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    procedure: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="counter")
    current_version: Mapped[int] = mapped_column(default=1)
    # Programme codes whose PRE_JOB_PASSED step needs this drill passed (mirrors the YAML).
    required_for: Mapped[list] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)

    versions: Mapped[list["ScenarioVersion"]] = relationship(
        back_populates="scenario", order_by="ScenarioVersion.number"
    )


class ScenarioVersion(Base):
    """One immutable text of a scenario; sessions point at the version they played."""

    __tablename__ = "scenario_version"
    __table_args__ = (UniqueConstraint("scenario_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenario.id", ondelete="CASCADE"))
    number: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(20), default="file")  # file | editor
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    scenario: Mapped[Scenario] = relationship(back_populates="versions", lazy="joined")


# A session whose replies nobody reviews: still playing, or a trainer's preview.
NOT_REVIEWABLE = {
    "postgresql": "state <> 'finished' OR preview",
    "sqlite": "state <> 'finished' OR preview = 1",
}


class DrillSession(TimestampMixin, Base):
    """One play-through of a scenario by one person."""

    __tablename__ = "drill_session"
    __table_args__ = (
        CheckConstraint("mode IN ('practice', 'exam')", name="mode_known"),
        CheckConstraint("state IN ('playing', 'finished')", name="state_known"),
        Index("ix_drill_session_user_version", "user_id", "scenario_version_id"),
        # the dashboard's and review page's newest drills first
        Index("ix_drill_session_finished_at", "finished_at"),
        # the few sessions whose replies are not for review: the dashboard's count of replies
        # to review takes theirs away from every pending reply (see pending_review_count)
        Index(
            "ix_drill_session_not_reviewable",
            "id",
            postgresql_where=text(NOT_REVIEWABLE["postgresql"]),
            sqlite_where=text(NOT_REVIEWABLE["sqlite"]),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    scenario_version_id: Mapped[int] = mapped_column(ForeignKey("scenario_version.id"))
    mode: Mapped[str] = mapped_column(String(10), default="practice")
    # A trainer's "play as trainee" run: never counted, never reviewed.
    preview: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(10), default="playing")
    current_turn: Mapped[str | None] = mapped_column(String(64))
    ending: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(10))
    earned: Mapped[int] = mapped_column(default=0)
    max_points: Mapped[int] = mapped_column(default=0)
    percent: Mapped[int] = mapped_column(default=0)
    passed: Mapped[bool] = mapped_column(default=False)
    draft: Mapped[str | None] = mapped_column(Text)  # autosaved reply being typed
    finished_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")
    version: Mapped[ScenarioVersion] = relationship(lazy="joined")
    steps: Mapped[list["DrillStep"]] = relationship(
        back_populates="session", order_by="DrillStep.position", cascade="all, delete-orphan"
    )


# A reply in which the machine found a forbidden phrase (the standings' "clean drills"), per
# dialect; the partial index below holds only these steps.
FORBIDDEN_REPLY = {
    "postgresql": "drill_step.kind = 'reply'"
    " AND json_array_length(drill_step.findings -> 'forbidden') > 0",
    "sqlite": "drill_step.kind = 'reply'"
    " AND json_array_length(drill_step.findings, '$.forbidden') > 0",
}

PENDING_REVIEW = "kind = 'reply' AND reviewed_at IS NULL"


class DrillStep(Base):
    """One move: the choice made or the reply typed at a turn, with what the machine found."""

    __tablename__ = "drill_step"
    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        Index(
            "ix_drill_step_forbidden_reply",
            "session_id",
            postgresql_where=text(FORBIDDEN_REPLY["postgresql"]),
            sqlite_where=text(FORBIDDEN_REPLY["sqlite"]),
        ),
        # the trainer dashboard counts the replies still to review, a few among every reply
        Index(
            "ix_drill_step_pending_review",
            "session_id",
            postgresql_where=text(PENDING_REVIEW),
            sqlite_where=text(PENDING_REVIEW),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("drill_session.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    turn_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))  # choice | reply
    choice_index: Mapped[int | None]
    reply_text: Mapped[str | None] = mapped_column(Text)
    findings: Mapped[dict | None]  # scoring.score_reply output, as the machine saw it
    auto_points: Mapped[int] = mapped_column(default=0)
    points: Mapped[int] = mapped_column(default=0)  # with the trainer's overrides
    max_points: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    session: Mapped[DrillSession] = relationship(back_populates="steps")
    reviewed_by: Mapped[User | None] = relationship(lazy="joined")
    overrides: Mapped[list["ElementOverride"]] = relationship(
        back_populates="step", cascade="all, delete-orphan", lazy="selectin"
    )

    def override_map(self) -> dict[str, bool]:
        return {o.element_key: o.found for o in self.overrides}


class ElementOverride(Base):
    """A trainer's verdict on one rubric element of one reply, with the reason."""

    __tablename__ = "drill_element_override"
    __table_args__ = (UniqueConstraint("step_id", "element_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("drill_step.id", ondelete="CASCADE"))
    element_key: Mapped[str] = mapped_column(String(64))
    found: Mapped[bool]
    comment: Mapped[str] = mapped_column(String(1000))
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    step: Mapped[DrillStep] = relationship(back_populates="overrides")
    trainer: Mapped[User | None] = relationship(lazy="joined")


class ElementExample(Base):
    """A reply a trainer approved as an example of a rubric element being present or missing.

    The scorer compares later replies to the same turn with it (element_match); approving
    and removing are audited.
    """

    __tablename__ = "element_example"
    __table_args__ = (UniqueConstraint("scenario_id", "turn_key", "element_key", "text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenario.id", ondelete="CASCADE"), index=True
    )
    turn_key: Mapped[str] = mapped_column(String(64))
    element_key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(2000))
    found: Mapped[bool]
    source_step_id: Mapped[int | None] = mapped_column(
        ForeignKey("drill_step.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    scenario: Mapped[Scenario] = relationship()

"""Question banks, versioned questions, quizzes built by rules, attempts and responses."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer import clock
from trainer.accounts.models import User
from trainer.db import Base, TimestampMixin
from trainer.training.models import Cohort, Programme


class Purpose(StrEnum):
    PRACTICE = "practice"
    PRE_JOB = "pre_job"
    FINAL = "final"
    REFRESHER = "refresher"


class GradingMethod(StrEnum):
    HIGHEST = "highest"
    FIRST = "first"
    LAST = "last"
    AVERAGE = "average"


class ReviewWhen(StrEnum):
    """When a part of the review (marks, feedback, right answers) opens, as in Moodle."""

    IMMEDIATELY = "immediately"  # as soon as the attempt is submitted
    AFTER_CLOSE = "after_close"  # once the quiz has closed (its close_at has passed)
    AFTER_LAST_ATTEMPT = "after_last_attempt"  # once the trainee has used every allowed attempt
    NEVER = "never"


class Usage(StrEnum):
    """Where a question may be drawn: exam-only questions never reach practice quizzes, whose
    reviews may show the right answer."""

    PRACTICE = "practice"
    EXAM = "exam"
    BOTH = "both"


class AttemptState(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"  # waiting for a trainer to grade essays
    GRADED = "graded"


def _enum(cls, length: int = 20) -> SAEnum:
    return SAEnum(cls, native_enum=False, length=length, validate_strings=True)


class QuestionBank(TimestampMixin, Base):
    __tablename__ = "question_bank"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)  # CLI handle, e.g. forbidden_phrases
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    questions: Mapped[list["Question"]] = relationship(
        back_populates="bank", order_by="Question.id"
    )


class Question(TimestampMixin, Base):
    """A question's identity; what it says lives in its versions (the newest is current)."""

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("bank_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(
        ForeignKey("question_bank.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(120), index=True)
    usage: Mapped[Usage] = mapped_column(
        _enum(Usage), default=Usage.BOTH, server_default=Usage.BOTH.name, index=True
    )
    archived: Mapped[bool] = mapped_column(default=False)

    bank: Mapped[QuestionBank] = relationship(back_populates="questions")
    tag_rows: Mapped[list["QuestionTag"]] = relationship(
        order_by="QuestionTag.tag", cascade="all, delete-orphan", passive_deletes=True
    )
    versions: Mapped[list["QuestionVersion"]] = relationship(
        back_populates="question", order_by="QuestionVersion.number", cascade="all, delete-orphan"
    )

    @property
    def current(self) -> "QuestionVersion":
        return self.versions[-1]

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]


class QuestionTag(Base):
    """A free label on a question (Moodle's tags); like the category, not versioned."""

    __tablename__ = "question_tag"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class QuestionVersion(Base):
    """Immutable once an attempt has seen it: edits make a new version."""

    __tablename__ = "question_version"
    __table_args__ = (
        UniqueConstraint("question_id", "number"),
        CheckConstraint("points > 0", name="points_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text)
    text_format: Mapped[str] = mapped_column(String(20), default="plain")
    general_feedback: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(120))  # procedure step or phrase it tests
    points: Mapped[float] = mapped_column(default=1.0)
    payload: Mapped[dict]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    question: Mapped[Question] = relationship(back_populates="versions")


class QuestionAsset(Base):
    """A file a question shows (an image from a Moodle export), stored once by its content.

    Versions refer to assets by sha256 in their payload (`files: {name: sha256}`), so an
    image is immutable like the version that shows it, and the same picture in a hundred
    questions is stored once. The sha256 is also the key an object store would use.
    """

    __tablename__ = "question_asset"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Quiz(TimestampMixin, Base):
    __tablename__ = "quiz"
    __table_args__ = (
        CheckConstraint("pass_percent >= 0 AND pass_percent <= 100", name="pass_percent_range"),
        CheckConstraint("time_limit_minutes IS NULL OR time_limit_minutes > 0", name="time_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[Purpose] = mapped_column(_enum(Purpose), index=True)
    time_limit_minutes: Mapped[int | None]
    attempts_allowed: Mapped[int | None]  # None: the programme's exam_attempts (exams) or unlimited
    pass_percent: Mapped[float] = mapped_column(default=80.0)
    grading_method: Mapped[GradingMethod] = mapped_column(
        _enum(GradingMethod), default=GradingMethod.HIGHEST
    )
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_answers: Mapped[bool] = mapped_column(default=True)
    # The review policy (policy in review.py): when the review opens with the marks, when it
    # adds the feedback, and when the right answers.
    review_when: Mapped[ReviewWhen] = mapped_column(
        _enum(ReviewWhen), default=ReviewWhen.IMMEDIATELY
    )
    review_feedback_when: Mapped[ReviewWhen] = mapped_column(
        _enum(ReviewWhen), default=ReviewWhen.IMMEDIATELY, server_default=ReviewWhen.NEVER.name
    )
    review_answers_when: Mapped[ReviewWhen] = mapped_column(
        _enum(ReviewWhen), default=ReviewWhen.IMMEDIATELY, server_default=ReviewWhen.NEVER.name
    )
    open_at: Mapped[datetime | None]
    close_at: Mapped[datetime | None]
    published: Mapped[bool] = mapped_column(default=True)

    programme: Mapped[Programme] = relationship(lazy="joined")
    rules: Mapped[list["QuizRule"]] = relationship(
        order_by="QuizRule.position", cascade="all, delete-orphan"
    )
    cohorts: Mapped[list[Cohort]] = relationship(secondary="quiz_cohort")


class QuizCohort(Base):
    """Restricts a quiz to some cohorts; a quiz without rows here is open to the programme."""

    __tablename__ = "quiz_cohort"

    quiz_id: Mapped[int] = mapped_column(
        ForeignKey("quiz.id", ondelete="CASCADE"), primary_key=True
    )
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )


class QuizRule(Base):
    """One rule building an attempt: a fixed question, or `count` random ones of a category."""

    __tablename__ = "quiz_rule"
    __table_args__ = (
        CheckConstraint("count > 0", name="count_positive"),
        CheckConstraint("(question_id IS NULL) <> (category IS NULL)", name="fixed_or_random"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    category: Mapped[str | None] = mapped_column(String(120))  # prefix: "procedures" takes all
    count: Mapped[int] = mapped_column(default=1)

    question: Mapped[Question | None] = relationship()


class Attempt(Base):
    __tablename__ = "attempt"
    __table_args__ = (
        # two tabs starting at once cannot both create attempt n
        UniqueConstraint("quiz_id", "user_id", "number"),
        Index("ix_attempt_state_deadline", "state", "deadline"),
        # a quiz's results list, newest first
        Index("ix_attempt_quiz_started", "quiz_id", "started_at"),
        # at most one open attempt per quiz and user, held by the database (issue 13)
        Index(
            "uq_attempt_one_open",
            "quiz_id",
            "user_id",
            unique=True,
            sqlite_where=text("state = 'IN_PROGRESS'"),
            postgresql_where=text("state = 'IN_PROGRESS'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    state: Mapped[AttemptState] = mapped_column(
        _enum(AttemptState), default=AttemptState.IN_PROGRESS
    )
    started_at: Mapped[datetime] = mapped_column(default=clock.now)
    deadline: Mapped[datetime | None]
    last_saved_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    graded_at: Mapped[datetime | None]
    auto_submitted: Mapped[bool] = mapped_column(default=False)
    score: Mapped[float | None]
    max_score: Mapped[float] = mapped_column(default=0.0)
    percent: Mapped[float | None]
    passed: Mapped[bool | None]

    quiz: Mapped[Quiz] = relationship()
    user: Mapped[User] = relationship()
    responses: Mapped[list["Response"]] = relationship(
        back_populates="attempt", order_by="Response.slot", cascade="all, delete-orphan"
    )


class Response(Base):
    """One question slot of an attempt: version shown, layout, saved answer and mark."""

    __tablename__ = "response"
    __table_args__ = (UniqueConstraint("attempt_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    slot: Mapped[int]
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"), index=True)
    layout: Mapped[dict]
    answer: Mapped[dict | None]  # {"value": <type-specific answer>}
    saved_at: Mapped[datetime | None]
    fraction: Mapped[float | None]
    score: Mapped[float | None]
    feedback: Mapped[list | None]
    needs_grading: Mapped[bool] = mapped_column(default=False, index=True)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None]
    grader_comment: Mapped[str | None] = mapped_column(Text)

    attempt: Mapped[Attempt] = relationship(back_populates="responses")
    version: Mapped[QuestionVersion] = relationship(lazy="joined")

    @property
    def value(self):
        return (self.answer or {}).get("value")

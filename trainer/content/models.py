"""The scripts library in the database: procedures and steps, topic modules and their pages,
which modules a programme has, what each trainee has studied, and every content version."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer import clock
from trainer.accounts.models import User
from trainer.db import Base, TimestampMixin
from trainer.training.models import Programme


class Procedure(TimestampMixin, Base):
    """A window procedure (开户/新装, 补换卡 …) made of ordered steps."""

    __tablename__ = "procedure"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64))

    steps: Mapped[list["ProcedureStep"]] = relationship(
        back_populates="procedure",
        order_by="ProcedureStep.position",
        cascade="all, delete-orphan",
    )


class ProcedureStep(Base):
    """One step: the behaviour standard, what to say, and 易忘/易错/重要 reminders."""

    __tablename__ = "procedure_step"
    __table_args__ = (UniqueConstraint("procedure_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedure.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(120))
    standard: Mapped[str] = mapped_column(Text)
    script: Mapped[list] = mapped_column(default=list)  # lines to say
    reminders: Mapped[list] = mapped_column(default=list)  # [{"type": ..., "text": ...}]

    procedure: Mapped[Procedure] = relationship(back_populates="steps")

    @property
    def ref(self) -> str:
        """How scenarios, banks and internship tasks refer to the step."""
        return f"{self.procedure.key}.{self.key}"


class ContentModule(TimestampMixin, Base):
    """A topic module of the pre-job training (服务流程, 服务规范 …), made of pages."""

    __tablename__ = "content_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text, default="")
    pre_job: Mapped[bool] = mapped_column(default=True)
    prerequisites: Mapped[list] = mapped_column(default=list)  # module keys
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Set by a trainer; None: each page's own default, derived from its length (reading.py).
    min_reading_seconds: Mapped[int | None]

    pages: Mapped[list["ModulePage"]] = relationship(
        back_populates="module", order_by="ModulePage.position", cascade="all, delete-orphan"
    )


class ModulePage(Base):
    __tablename__ = "module_page"
    __table_args__ = (UniqueConstraint("module_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("content_module.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    # [{"source": "《…法》", "article": "第…条", "note": …}]: where the page's statements about
    # regulation come from. The column is not called "references", an SQL reserved word.
    references: Mapped[list] = mapped_column("citations", default=list, server_default="[]")

    module: Mapped[ContentModule] = relationship(back_populates="pages")


class ProgrammeModule(Base):
    """The ordered list of modules of a programme."""

    __tablename__ = "programme_module"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
    )
    module_id: Mapped[int] = mapped_column(
        ForeignKey("content_module.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int]

    programme: Mapped[Programme] = relationship()
    module: Mapped[ContentModule] = relationship(lazy="joined")


class PageStudy(Base):
    """A trainee marked a module page as studied."""

    __tablename__ = "page_study"
    __table_args__ = (UniqueConstraint("user_id", "page_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    page_id: Mapped[int] = mapped_column(
        ForeignKey("module_page.id", ondelete="CASCADE"), index=True
    )
    studied_at: Mapped[datetime] = mapped_column(default=clock.now)


class PageView(Base):
    """When a trainee first opened a module page (a POST from the page, never the GET)."""

    __tablename__ = "page_view"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    page_id: Mapped[int] = mapped_column(
        ForeignKey("module_page.id", ondelete="CASCADE"), primary_key=True
    )
    first_viewed_at: Mapped[datetime] = mapped_column(default=clock.now)


class ContentRevision(Base):
    """Every version of a procedure, phrase, module or programme list, from a file or the UI."""

    __tablename__ = "content_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # procedure | phrase | module | programme
    key: Mapped[str] = mapped_column(String(80))
    version: Mapped[int]
    data: Mapped[dict]
    source: Mapped[str] = mapped_column(String(10))  # file | ui
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    actor: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("kind", "key", "version"),)

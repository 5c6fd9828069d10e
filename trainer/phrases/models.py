"""Forbidden phrases (服务禁语) as loaded from the scripts library or edited by trainers."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from trainer.db import Base, TimestampMixin


class ForbiddenPhrase(TimestampMixin, Base):
    __tablename__ = "forbidden_phrase"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    phrase: Mapped[str] = mapped_column(String(200))
    variants: Mapped[list] = mapped_column(default=list)
    category: Mapped[str] = mapped_column(String(40), index=True)
    reason: Mapped[str] = mapped_column(Text)
    alternative: Mapped[str] = mapped_column(Text)
    allowed_contexts: Mapped[list] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64))

"""Settings the site records about itself in the database (shared by every app instance)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from trainer import clock
from trainer.db import Base


class SiteSetting(Base):
    """A named value every instance reads at start, e.g. the secret key's fingerprint."""

    __tablename__ = "site_setting"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

"""Users with several roles, the halls (windows) they work in, and regions."""

from sqlalchemy import Enum as SAEnum
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.db import Base, TimestampMixin
from trainer.permissions import Role


class Region(Base):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    halls: Mapped[list["Hall"]] = relationship(back_populates="region", order_by="Hall.name")


class Hall(TimestampMixin, Base):
    """A business hall (营业厅), franchised shop or hotline centre: a 'window'."""

    __tablename__ = "hall"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="hall")  # hall | shop | hotline
    address: Mapped[str | None] = mapped_column(String(255))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))

    region: Mapped[Region | None] = relationship(back_populates="halls")


class UserRole(Base):
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(SAEnum(Role, native_enum=False, length=20))


class User(TimestampMixin, Base):
    __tablename__ = "user"
    __table_args__ = (
        # People lists sort by name; searches match the start of a name or employee number,
        # which PostgreSQL answers from a pattern index (any collation).
        Index("ix_user_name_employee_no", "name", "employee_no"),
        Index("ix_user_name_pattern", "name", postgresql_ops={"name": "varchar_pattern_ops"}),
        Index(
            "ix_user_employee_no_pattern",
            "employee_no",
            postgresql_ops={"employee_no": "varchar_pattern_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("hall.id"), index=True)
    # Bumped on password change so other sessions of this user stop working.
    session_token: Mapped[str] = mapped_column(String(64))

    hall: Mapped[Hall | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def has_any_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def __repr__(self) -> str:
        return f"<User {self.employee_no} {self.name}>"

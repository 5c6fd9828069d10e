"""The administrators' user list: search, filters and a page of users at a time.

Filters on things other features own (a trainee's stage on the path) are facets those features
register (`register_user_facet`), so accounts never imports the layers above it. The registry
lives on the app: `app.extensions["user_facets"]`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import ColumnElement, Select, or_, select

from trainer.accounts.models import User, UserRole
from trainer.permissions import Role


@dataclass(frozen=True)
class UserFacet:
    """A filter of the user list: its choices (value, label) and the condition for a value."""

    name: str
    label: object
    choices: Callable[[], list[tuple[str, str]]]
    condition: Callable[[str], ColumnElement[bool]]


def register_user_facet(app: Flask, facet: UserFacet) -> None:
    app.extensions.setdefault("user_facets", {})[facet.name] = facet


def user_facets() -> list[UserFacet]:
    return list(current_app.extensions.get("user_facets", {}).values())


@dataclass
class UserFilters:
    text: str = ""
    role: str = ""
    hall_id: int = 0
    active: str = ""  # "", "1" or "0"
    facets: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args) -> "UserFilters":
        hall = args.get("hall_id", "")
        facets = {}
        for facet in user_facets():
            value = args.get(facet.name, "")
            if value in {v for v, _ in facet.choices()}:
                facets[facet.name] = value
        return cls(
            text=args.get("q", "").strip()[:80],
            role=args.get("role", "") if args.get("role") in {r.value for r in Role} else "",
            hall_id=int(hall) if hall.isdigit() else 0,
            active=args.get("active", "") if args.get("active") in ("0", "1") else "",
            facets=facets,
        )

    def as_args(self) -> dict[str, str | int]:
        """The filters as query arguments (for the pagination links), empty ones left out."""
        args = {"q": self.text, "role": self.role, "hall_id": self.hall_id, "active": self.active}
        args |= self.facets
        return {k: v for k, v in args.items() if v}


def users_query(filters: UserFilters) -> Select:
    query = select(User)
    if filters.text:
        like = f"%{filters.text}%"
        query = query.where(
            or_(User.employee_no.ilike(like), User.name.ilike(like), User.phone.ilike(like))
        )
    if filters.role:
        query = query.where(
            User.id.in_(select(UserRole.user_id).where(UserRole.role == Role(filters.role)))
        )
    if filters.hall_id:
        query = query.where(User.hall_id == filters.hall_id)
    if filters.active:
        query = query.where(User.active.is_(filters.active == "1"))
    facets = {facet.name: facet for facet in user_facets()}
    for name, value in filters.facets.items():
        query = query.where(facets[name].condition(value))
    return query.order_by(User.employee_no)

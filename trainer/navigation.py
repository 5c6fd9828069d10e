"""Navbar entries contributed by feature packages, filtered by the viewer's roles."""

from dataclasses import dataclass

from flask import url_for
from flask_login import current_user

from trainer.permissions import Role


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy_gettext string
    endpoint: str
    roles: frozenset[Role]
    order: int = 100
    icon: str = ""

    @property
    def url(self) -> str:
        return url_for(self.endpoint)


_items: dict[str, NavItem] = {}


def register_nav(label, endpoint: str, roles, order: int = 100, icon: str = "") -> None:
    """Idempotent: create_app runs per test, the registry lives as long as the process."""
    _items[endpoint] = NavItem(label, endpoint, frozenset(roles), order, icon)


def nav_items_for_current_user() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    return sorted(
        (item for item in _items.values() if current_user.has_any_role(*item.roles)),
        key=lambda item: item.order,
    )

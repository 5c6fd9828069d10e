"""Navbar entries contributed by feature packages, filtered by the viewer's roles.

Entries may name a group; a group with more than one visible entry becomes a dropdown,
so the navbar stays short whatever the number of features.
"""

from dataclasses import dataclass, field

from flask import Flask, current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from trainer.permissions import Role

GROUP_LABELS = {
    "learning": _l("Learning"),
    "progress": _l("My progress"),
    "assessment": _l("Assessment"),
    "records": _l("Records"),
}


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy_gettext string
    endpoint: str
    roles: frozenset[Role]
    order: int = 100
    icon: str = ""
    group: str | None = None

    @property
    def url(self) -> str:
        return url_for(self.endpoint)


@dataclass
class NavGroup:
    key: str
    items: list[NavItem] = field(default_factory=list)

    @property
    def label(self):
        return GROUP_LABELS[self.key]

    @property
    def order(self) -> int:
        return min(item.order for item in self.items)


class Navigation:
    """One app's navbar entries by endpoint (`app.extensions["navigation"]`)."""

    def __init__(self) -> None:
        self.items: dict[str, NavItem] = {}


def register_nav(
    app: Flask,
    label,
    endpoint: str,
    roles,
    order: int = 100,
    icon: str = "",
    group: str | None = None,
) -> None:
    if group is not None and group not in GROUP_LABELS:
        raise ValueError(f"unknown navigation group {group!r}")
    app.extensions["navigation"].items[endpoint] = NavItem(
        label, endpoint, frozenset(roles), order, icon, group
    )


def nav_entries_for_current_user() -> list[NavItem | NavGroup]:
    if not current_user.is_authenticated:
        return []
    items = current_app.extensions["navigation"].items.values()
    visible = sorted(
        (item for item in items if current_user.has_any_role(*item.roles)),
        key=lambda item: item.order,
    )
    groups: dict[str, NavGroup] = {}
    entries: list[NavItem | NavGroup] = []
    for item in visible:
        if item.group is None:
            entries.append(item)
        elif item.group in groups:
            groups[item.group].items.append(item)
        else:
            groups[item.group] = NavGroup(item.group, [item])
            entries.append(groups[item.group])
    # A group of one is just a link.
    return [e.items[0] if isinstance(e, NavGroup) and len(e.items) == 1 else e for e in entries]


def init_app(app: Flask) -> None:
    app.extensions["navigation"] = Navigation()

"""Dashboard panels contributed by feature packages.

A panel is a template plus a function giving its context for the viewing user; a
panel whose context function returns None is not shown.
"""

from collections.abc import Callable
from dataclasses import dataclass

from trainer.accounts.models import User
from trainer.permissions import Role


@dataclass(frozen=True)
class Panel:
    role: Role
    template: str
    context: Callable[[User], dict | None]
    order: int


_panels: dict[tuple[Role, str], Panel] = {}


def register_panel(
    role: Role, template: str, context: Callable[[User], dict | None], order: int = 100
) -> None:
    _panels[(role, template)] = Panel(role, template, context, order)


def panels_for(user: User, role: Role) -> list[tuple[Panel, dict]]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        if panel.role == role and (context := panel.context(user)) is not None:
            shown.append((panel, context))
    return shown

"""The dashboard panel registry: features contribute panels, the dashboard shows them.

A panel is a template plus a function giving its context for the viewing user; a panel whose
context function returns None is not shown. Context functions only read: a dashboard is a
GET, and a GET never changes data. The registry lives on the app:
`app.extensions["dashboard_panels"]`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from trainer.permissions import Role


@dataclass(frozen=True)
class Panel:
    role: Role
    template: str
    context: Callable[[object], dict | None]  # (the viewing user) → context or None
    order: int


class PanelRegistry:
    def __init__(self) -> None:
        self.panels: dict[tuple[Role, str], Panel] = {}

    def for_role(self, role: Role) -> list[Panel]:
        return sorted((p for p in self.panels.values() if p.role == role), key=lambda p: p.order)


def register_panel(
    app: Flask,
    role: Role,
    template: str,
    context: Callable[[object], dict | None],
    order: int = 100,
) -> None:
    app.extensions["dashboard_panels"].panels[(role, template)] = Panel(
        role, template, context, order
    )


def panels_for(user, role: Role) -> list[tuple[Panel, dict]]:
    shown = []
    for panel in current_app.extensions["dashboard_panels"].for_role(role):
        if (context := panel.context(user)) is not None:
            shown.append((panel, context))
    return shown


def init_app(app: Flask) -> None:
    app.extensions["dashboard_panels"] = PanelRegistry()

"""Forbidden phrases (服务禁语): the matching engine, the phrase checker page and the CLI."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.navigation import register_nav
from trainer.permissions import Role
from trainer.phrases import models  # noqa: F401  (the phrase tables)
from trainer.phrases.cli import phrases_cli
from trainer.phrases.services import SCENARIO_ELEMENTS
from trainer.phrases.views import bp


def init_app(app: Flask) -> None:
    app.extensions[SCENARIO_ELEMENTS] = None  # set by the role-play feature when installed
    app.register_blueprint(bp)
    app.cli.add_command(phrases_cli)
    register_nav(
        app,
        _l("Phrase checker"),
        "phrases.checker",
        set(Role),
        order=35,
        icon="chat-square-text",
        group="learning",
    )

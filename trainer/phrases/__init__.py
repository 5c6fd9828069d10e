"""Forbidden phrases (服务禁语): the matching engine, the phrase checker page and the CLI."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.navigation import register_nav
from trainer.permissions import Role


def init_app(app: Flask) -> None:
    from trainer.phrases import models  # noqa: F401
    from trainer.phrases.cli import phrases_cli
    from trainer.phrases.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(phrases_cli)
    register_nav(
        _l("Phrase checker"),
        "phrases.checker",
        set(Role),
        order=35,
        icon="chat-square-text",
        group="learning",
    )

"""The library status for trainers: what the database and the repository's files disagree
on, and resolving it (take the file, keep mine, merge by hand); `trainer library status`."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.library_status.cli import library_cli
from trainer.library_status.views import bp
from trainer.navigation import register_nav
from trainer.permissions import Role


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(library_cli)
    register_nav(
        app,
        _l("Library status"),
        "library_status.status",
        {Role.TRAINER, Role.ADMIN},
        order=95,
        icon="git",
        group="learning",
    )

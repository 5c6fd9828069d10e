"""Audit log: who did what to which record, when, with the values before and after."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.audit.views import bp
from trainer.navigation import register_nav
from trainer.permissions import Role


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_nav(
        app, _l("Audit log"), "audit.index", {Role.ADMIN, Role.TRAINER}, order=90, group="records"
    )

"""Users, roles, halls and regions; administrator pages and the users CSV import."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.accounts import passwords
from trainer.accounts.cli import users_cli
from trainer.accounts.views import bp
from trainer.navigation import register_nav
from trainer.permissions import Role


def init_app(app: Flask) -> None:
    passwords.init_app(app)
    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
    register_nav(app, _l("Users"), "accounts.users", {Role.ADMIN}, order=80)
    register_nav(app, _l("Halls"), "accounts.halls", {Role.ADMIN}, order=81)

"""Programmes, cohorts, enrolments and the trainee path (the state machine)."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.dashboard.panels import register_panel
from trainer.navigation import register_nav
from trainer.permissions import Role


def init_app(app: Flask) -> None:
    from trainer.training import panels, requirements  # noqa: F401  (registers requirements)
    from trainer.training.cli import programme_cli
    from trainer.training.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(programme_cli)
    register_nav(_l("My path"), "training.my_path", {Role.TRAINEE}, order=10, group="progress")
    register_nav(_l("Cohorts"), "training.cohorts", {Role.TRAINER}, order=50)
    register_panel(Role.TRAINEE, "training/panel_path.html", panels.trainee_path_panel, order=10)
    register_panel(Role.TRAINER, "training/panel_cohorts.html", panels.trainer_cohorts_panel, 10)
    register_panel(Role.ADMIN, "training/panel_accounts.html", panels.admin_accounts_panel, 10)

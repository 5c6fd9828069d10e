"""Trainer analytics: cohort dashboards, item analysis, weak areas per trainee, exports."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.dashboard.panels import register_panel
from trainer.navigation import register_nav
from trainer.permissions import Role


def init_app(app: Flask) -> None:
    from trainer.reports import panels
    from trainer.reports.cli import reports_cli
    from trainer.reports.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(reports_cli)
    register_nav(
        _l("Reports"),
        "reports.index",
        {Role.MENTOR, Role.TRAINER, Role.ADMIN},
        order=70,
        icon="bar-chart",
    )
    register_nav(
        _l("My strengths and gaps"),
        "reports.my_weak_areas",
        {Role.TRAINEE},
        order=45,
        icon="bullseye",
        group="progress",
    )
    register_panel(Role.TRAINER, "reports/panel_trainer.html", panels.trainer_reports_panel, 60)

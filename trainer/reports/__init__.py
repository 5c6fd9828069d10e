"""Trainer analytics: cohort dashboards, item analysis, weak areas per trainee, exports."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.accounts.models import User
from trainer.coaching.focus import provide_focus_options
from trainer.jobs.registry import register_job, register_queue
from trainer.navigation import register_nav
from trainer.panels import register_panel
from trainer.permissions import Role
from trainer.reports import export_views, models, panels  # noqa: F401  (routes, tables)
from trainer.reports.cli import reports_cli
from trainer.reports.export_jobs import QUEUE_NAME, resume_exports
from trainer.reports.queries import trainee_weak_areas
from trainer.reports.views import bp


def coaching_focus(trainee: User, limit: int) -> list[dict]:
    """Coaching talks focus on the trainee's weakest areas."""
    return trainee_weak_areas(trainee).focus_options(limit=limit)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_queue(app, QUEUE_NAME)
    register_job(
        app,
        "reports.resume_exports",
        resume_exports,
        cron="*/5 * * * *",
        description="run exports whose worker was lost; remove week-old export files",
    )
    app.cli.add_command(reports_cli)
    provide_focus_options(app, coaching_focus)
    register_nav(
        app,
        _l("Reports"),
        "reports.index",
        {Role.MENTOR, Role.TRAINER, Role.ADMIN},
        order=70,
        icon="bar-chart",
    )
    register_nav(
        app,
        _l("My strengths and gaps"),
        "reports.my_weak_areas",
        {Role.TRAINEE},
        order=45,
        icon="bullseye",
        group="progress",
    )
    register_panel(
        app, Role.TRAINER, "reports/panel_trainer.html", panels.trainer_reports_panel, 60
    )

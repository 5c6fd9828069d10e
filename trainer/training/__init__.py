"""Programmes, cohorts, enrolments and the trainee path (the state machine)."""

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.accounts.queries import UserFacet, register_user_facet
from trainer.jobs.registry import register_job
from trainer.navigation import register_nav
from trainer.panels import register_panel
from trainer.permissions import Role
from trainer.training import panels, path
from trainer.training.cli import programme_cli
from trainer.training.models import Enrolment
from trainer.training.requirements import cohort_has_started
from trainer.training.services import catch_up_paths
from trainer.training.stages import PATH, Stage
from trainer.training.views import bp


def trainees_at(stage: str):
    return User.id.in_(select(Enrolment.user_id).where(Enrolment.stage == Stage(stage)))


def init_app(app: Flask) -> None:
    register_user_facet(
        app,
        UserFacet("stage", _l("Stage"), lambda: [(s.value, s.label) for s in PATH], trainees_at),
    )
    path.init_app(app)
    app.extensions["trainee_path"].requirement(Stage.PRE_JOB_TRAINING)(cohort_has_started)
    app.register_blueprint(bp)
    app.cli.add_command(programme_cli)
    register_job(
        app,
        "training.catch_up",
        catch_up_paths,
        cron="5 0 * * *",
        description="move trainees on whose requirements are met (a cohort that started today)",
    )
    register_nav(app, _l("My path"), "training.my_path", {Role.TRAINEE}, order=10, group="progress")
    register_nav(app, _l("Cohorts"), "training.cohorts", {Role.TRAINER}, order=50)
    register_panel(
        app, Role.TRAINEE, "training/panel_path.html", panels.trainee_path_panel, order=10
    )
    register_panel(
        app, Role.TRAINER, "training/panel_cohorts.html", panels.trainer_cohorts_panel, 10
    )
    register_panel(app, Role.ADMIN, "training/panel_accounts.html", panels.admin_accounts_panel, 10)

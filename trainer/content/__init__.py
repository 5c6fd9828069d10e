"""Onboarding content: the scripts library (procedures, steps, reminders), topic modules
with per-page study progress, trainers' editing, and the path requirement on modules."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.content import library_kinds, models, panels  # noqa: F401  (models: the tables)
from trainer.content.cli import content_cli
from trainer.content.demo import seed_study_progress
from trainer.content.loading import load_library
from trainer.content.requirements import pre_job_modules_studied
from trainer.content.views import bp
from trainer.library import register_library_loader
from trainer.navigation import register_nav
from trainer.panels import register_panel
from trainer.permissions import Role
from trainer.seeding import register_seeder
from trainer.training.stages import Stage


def _load_default_library() -> str:
    return load_library().summary()


def init_app(app: Flask) -> None:
    app.extensions["trainee_path"].requirement(Stage.PRE_JOB_PASSED)(pre_job_modules_studied)
    app.register_blueprint(bp)
    app.cli.add_command(content_cli)
    register_library_loader(app, "content", _load_default_library, order=10)
    library_kinds.init_app(app)
    register_seeder(app, "content", seed_study_progress, order=10)
    register_nav(
        app,
        _l("Modules"),
        "content.modules",
        {Role.TRAINEE, Role.TRAINER, Role.MENTOR},
        order=20,
        icon="journal-text",
        group="learning",
    )
    register_nav(
        app,
        _l("Scripts"),
        "content.procedures",
        set(Role),
        order=30,
        icon="card-checklist",
        group="learning",
    )
    register_panel(
        app, Role.TRAINEE, "content/panel_modules.html", panels.trainee_modules_panel, 20
    )
    register_panel(
        app, Role.TRAINER, "content/panel_library.html", panels.trainer_library_panel, 30
    )

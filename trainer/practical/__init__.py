"""The practical assessment at the counter (实操考核): a checklist from the library that the
trainee's mentor, duty manager or a trainer observes, scores and signs; required next to the
written final exam for entering FINAL_PASSED."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.library import register_library_loader
from trainer.navigation import register_nav
from trainer.panels import register_panel
from trainer.permissions import Role
from trainer.practical import panels
from trainer.practical.cli import practical_cli
from trainer.practical.demo import seed_practical
from trainer.practical.requirements import passed_practical_assessment
from trainer.practical.services import load_default_checklists
from trainer.practical.views import bp
from trainer.seeding import register_seeder
from trainer.training.stages import Stage


def init_app(app: Flask) -> None:
    app.extensions["trainee_path"].requirement(Stage.FINAL_PASSED)(passed_practical_assessment)
    app.register_blueprint(bp)
    app.cli.add_command(practical_cli)
    register_library_loader(app, "practical checklists", load_default_checklists, order=35)
    register_seeder(app, "practical", seed_practical, order=650)
    register_nav(
        app,
        _l("Practical assessment"),
        "practical.overview",
        {Role.MENTOR, Role.TRAINER},
        order=25,
        icon="clipboard-check",
    )
    register_nav(
        app,
        _l("Practical assessment"),
        "practical.mine",
        {Role.TRAINEE},
        order=12,
        icon="clipboard-check",
        group="progress",
    )
    register_panel(app, Role.TRAINEE, "practical/panel_trainee.html", panels.trainee_panel, 32)
    register_panel(app, Role.MENTOR, "practical/panel_observer.html", panels.observer_panel, 12)
    register_panel(app, Role.TRAINER, "practical/panel_observer.html", panels.trainer_panel, 32)

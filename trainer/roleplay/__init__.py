"""Role-play drills (模拟演练): simulated customers, branching scenes, scored free-text replies."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.library import register_library_loader
from trainer.navigation import register_nav
from trainer.panels import register_panel
from trainer.permissions import Role
from trainer.phrases.services import provide_scenario_elements
from trainer.quizzes.question_types import register_question_type
from trainer.roleplay import library_kind, models, panels  # noqa: F401  (models: the tables)
from trainer.roleplay.cli import load_library, scenarios_cli
from trainer.roleplay.demo import seed_drills
from trainer.roleplay.question_type import RolePlayReply, grading_resources
from trainer.roleplay.requirements import required_drills_passed
from trainer.roleplay.services import required_elements_for_scenario
from trainer.roleplay.views import bp
from trainer.seeding import register_seeder
from trainer.training.stages import Stage


def init_app(app: Flask) -> None:
    app.extensions["trainee_path"].requirement(Stage.PRE_JOB_PASSED)(required_drills_passed)
    register_question_type(app, RolePlayReply, resources=grading_resources)
    provide_scenario_elements(app, required_elements_for_scenario)
    app.register_blueprint(bp)
    app.cli.add_command(scenarios_cli)
    register_library_loader(app, "scenarios", load_library, order=20)
    library_kind.init_app(app)
    register_seeder(app, "roleplay", seed_drills, order=500)
    register_nav(app, _l("Drills"), "roleplay.drills", {Role.TRAINEE}, order=30, icon="chat-dots")
    register_nav(
        app,
        _l("Scenarios"),
        "roleplay.scenarios",
        {Role.TRAINER},
        order=60,
        icon="diagram-3",
        group="assessment",
    )
    register_nav(
        app,
        _l("Drill reviews"),
        "roleplay.review",
        {Role.TRAINER},
        order=61,
        icon="check2-square",
        group="assessment",
    )
    register_panel(app, Role.TRAINEE, "roleplay/panel_drills.html", panels.trainee_drills_panel, 40)
    register_panel(app, Role.TRAINER, "roleplay/panel_review.html", panels.trainer_review_panel, 40)

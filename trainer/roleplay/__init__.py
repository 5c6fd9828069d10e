"""Role-play drills (模拟演练): simulated customers, branching scenes, scored free-text replies."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.dashboard.panels import register_panel
from trainer.library import register_library_loader
from trainer.navigation import register_nav
from trainer.permissions import Role


def init_app(app: Flask) -> None:
    from trainer.demo.seeding import register_seeder
    from trainer.roleplay import models, panels, question_type, requirements  # noqa: F401
    from trainer.roleplay.cli import load_library, scenarios_cli
    from trainer.roleplay.demo import seed_drills
    from trainer.roleplay.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(scenarios_cli)
    register_library_loader("scenarios", load_library, order=20)
    register_seeder("roleplay", seed_drills, order=500)
    register_nav(_l("Drills"), "roleplay.drills", {Role.TRAINEE}, order=30, icon="chat-dots")
    register_nav(
        _l("Scenarios"),
        "roleplay.scenarios",
        {Role.TRAINER},
        order=60,
        icon="diagram-3",
        group="assessment",
    )
    register_nav(
        _l("Drill reviews"),
        "roleplay.review",
        {Role.TRAINER},
        order=61,
        icon="check2-square",
        group="assessment",
    )
    register_panel(Role.TRAINEE, "roleplay/panel_drills.html", panels.trainee_drills_panel, 40)
    register_panel(Role.TRAINER, "roleplay/panel_review.html", panels.trainer_review_panel, 40)

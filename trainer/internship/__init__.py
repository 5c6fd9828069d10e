"""The one-month mentored internship (传帮带): plans, placements, logs and sign-offs."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.dashboard.panels import register_panel
from trainer.demo.seeding import register_seeder
from trainer.library import register_library_loader
from trainer.navigation import register_nav
from trainer.permissions import Role


def init_app(app: Flask) -> None:
    from trainer.internship import panels, requirements, trainer_views  # noqa: F401
    from trainer.internship.cli import internship_cli
    from trainer.internship.plans import load_default_plans
    from trainer.internship.seeding import seed_internship
    from trainer.internship.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(internship_cli)
    register_library_loader("internship plans", load_default_plans, order=30)
    register_seeder("internship", seed_internship, order=600)
    register_nav(
        _l("My internship"),
        "internship.my_internship",
        {Role.TRAINEE},
        order=30,
        icon="person-workspace",
    )
    register_nav(_l("My mentees"), "internship.mentees", {Role.MENTOR}, order=20, icon="people")
    register_nav(
        _l("Internships"), "internship.overview", {Role.TRAINER}, order=55, icon="building"
    )
    register_panel(Role.TRAINEE, "internship/panel_sync.html", panels.trainee_stage_sync, 0)
    register_panel(Role.TRAINEE, "internship/panel_trainee.html", panels.trainee_panel, 30)
    register_panel(Role.MENTOR, "internship/panel_mentor.html", panels.mentor_panel, 10)
    register_panel(Role.TRAINER, "internship/panel_trainer.html", panels.trainer_panel, 30)

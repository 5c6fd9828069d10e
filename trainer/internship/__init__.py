"""The one-month mentored internship (传帮带): plans, placements, logs and sign-offs."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.internship import (  # noqa: F401  (trainer_views: routes on bp)
    library_kind,
    panels,
    trainer_views,
)
from trainer.internship.cli import internship_cli
from trainer.internship.plans import load_default_plans
from trainer.internship.reminders import overdue_reminders_job
from trainer.internship.requirements import (
    internship_days_and_required_tasks,
    placed_with_a_mentor,
)
from trainer.internship.seeding import seed_internship
from trainer.internship.services import catch_up_internships
from trainer.internship.views import bp
from trainer.jobs.registry import register_job
from trainer.library import register_library_loader
from trainer.navigation import register_nav
from trainer.panels import register_panel
from trainer.permissions import Role
from trainer.seeding import register_seeder
from trainer.training.stages import Stage


def init_app(app: Flask) -> None:
    path = app.extensions["trainee_path"]
    path.requirement(Stage.INTERNING)(placed_with_a_mentor)
    path.requirement(Stage.INTERNSHIP_COMPLETE)(internship_days_and_required_tasks)
    app.register_blueprint(bp)
    app.cli.add_command(internship_cli)
    register_job(
        app,
        "internship.catch_up",
        catch_up_internships,
        cron="1 0 * * *",
        description="complete internships whose days and sign-offs are complete",
    )
    register_job(
        app,
        "internship.overdue_reminders",
        overdue_reminders_job,
        cron="0 8 * * *",
        description="remind mentors of overdue tasks (mail, or the log)",
    )
    register_library_loader(app, "internship plans", load_default_plans, order=30)
    library_kind.init_app(app)
    register_seeder(app, "internship", seed_internship, order=600)
    register_nav(
        app,
        _l("My internship"),
        "internship.my_internship",
        {Role.TRAINEE},
        order=30,
        icon="person-workspace",
    )
    register_nav(
        app, _l("My mentees"), "internship.mentees", {Role.MENTOR}, order=20, icon="people"
    )
    register_nav(
        app, _l("Internships"), "internship.overview", {Role.TRAINER}, order=55, icon="building"
    )
    register_panel(app, Role.TRAINEE, "internship/panel_trainee.html", panels.trainee_panel, 30)
    register_panel(app, Role.MENTOR, "internship/panel_mentor.html", panels.mentor_panel, 10)
    register_panel(app, Role.TRAINER, "internship/panel_trainer.html", panels.trainer_panel, 30)

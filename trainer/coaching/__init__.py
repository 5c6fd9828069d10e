"""One-to-one coaching talks (面谈辅导): opened from weak areas, followed up, acknowledged."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.dashboard.panels import register_panel
from trainer.navigation import register_nav
from trainer.permissions import Role


def init_app(app: Flask) -> None:
    from trainer.coaching import models, panels  # noqa: F401  (models: tables for create_all)
    from trainer.coaching.demo import seed_coaching
    from trainer.coaching.views import bp
    from trainer.demo.seeding import register_seeder

    app.register_blueprint(bp)
    register_seeder("coaching", seed_coaching, order=900)
    register_nav(
        _l("Coaching"),
        "coaching.index",
        {Role.TRAINEE, Role.MENTOR, Role.TRAINER, Role.ADMIN},
        order=72,
        icon="chat-square-text",
    )
    register_panel(Role.TRAINEE, "coaching/panel_trainee.html", panels.trainee_coaching_panel, 15)
    register_panel(Role.MENTOR, "coaching/panel_coach.html", panels.coach_follow_ups_panel, 40)
    register_panel(Role.TRAINER, "coaching/panel_coach.html", panels.coach_follow_ups_panel, 50)

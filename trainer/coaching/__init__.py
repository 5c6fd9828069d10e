"""One-to-one coaching talks (面谈辅导): opened from weak areas, followed up, acknowledged."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.coaching import models, panels  # noqa: F401  (models: the coaching table)
from trainer.coaching.demo import seed_coaching
from trainer.coaching.views import bp
from trainer.navigation import register_nav
from trainer.panels import register_panel
from trainer.permissions import Role
from trainer.seeding import register_seeder


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_seeder(app, "coaching", seed_coaching, order=900)
    register_nav(
        app,
        _l("Coaching"),
        "coaching.index",
        {Role.TRAINEE, Role.MENTOR, Role.TRAINER, Role.ADMIN},
        order=72,
        icon="chat-square-text",
    )
    register_panel(
        app, Role.TRAINEE, "coaching/panel_trainee.html", panels.trainee_coaching_panel, 15
    )
    register_panel(app, Role.MENTOR, "coaching/panel_coach.html", panels.coach_follow_ups_panel, 40)
    register_panel(
        app, Role.TRAINER, "coaching/panel_coach.html", panels.coach_follow_ups_panel, 50
    )

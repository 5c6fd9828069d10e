"""Recognition (考核激励): monthly standings, 服务之星 and 示范窗口 awards, trainees' badges."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.navigation import register_nav
from trainer.panels import register_panel
from trainer.permissions import Role
from trainer.recognition import models, panels  # noqa: F401  (models: the recognition tables)
from trainer.recognition.demo import seed_awards
from trainer.recognition.views import bp
from trainer.seeding import register_seeder


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_seeder(app, "recognition", seed_awards, order=910)
    # Coaches reach the standings from the Reports page; the navbar is crowded enough.
    register_nav(
        app,
        _l("Honour roll"),
        "recognition.honours",
        {Role.TRAINEE},
        order=75,
        icon="trophy",
        group="progress",
    )
    register_panel(
        app, Role.TRAINEE, "recognition/panel_badges.html", panels.trainee_badges_panel, 20
    )

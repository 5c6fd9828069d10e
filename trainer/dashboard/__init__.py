"""The home page: one dashboard per role, composed of panels that features register."""

from flask import Flask

from trainer.dashboard.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

"""The home page: one dashboard per role, composed of panels that features register."""

from flask import Flask


def init_app(app: Flask) -> None:
    from trainer.dashboard.views import bp

    app.register_blueprint(bp)

"""Running the site: health and readiness, a log line per request, metrics, error reporting,
backups, moving databases, and personal-data requests (export, anonymisation, retention)."""

from flask import Flask

from trainer.operations import cli, db_commands, metrics, reporting, requestlog
from trainer.operations.health import bp as health_bp


def init_app(app: Flask) -> None:
    metrics.init_app(app)  # first: its after-request hook reads what the request log measured
    requestlog.init_app(app)
    reporting.init_app(app)
    app.register_blueprint(health_bp)
    cli.init_app(app)
    db_commands.init_app(app)

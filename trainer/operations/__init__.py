"""Running the site: health and readiness, a log line per request, metrics, error reporting,
backups, moving databases, and personal-data requests (export, anonymisation, retention)."""

from flask import Flask

from trainer.operations import (  # models: the site_setting table
    cli,
    db_commands,
    metrics,
    models,  # noqa: F401
    reporting,
    requestlog,
)
from trainer.operations.health import bp as health_bp
from trainer.operations.secret_key import check_secret_key


def init_app(app: Flask) -> None:
    metrics.init_app(app)  # first: its after-request hook reads what the request log measured
    requestlog.init_app(app)
    reporting.init_app(app)
    app.register_blueprint(health_bp)
    cli.init_app(app)
    db_commands.init_app(app)
    # last: every table is known, and a refused key stops the start before anything serves
    check_secret_key(app)

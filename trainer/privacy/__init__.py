"""Personal data (PIPL): export everything about one person, anonymise a leaver, and keep
personal data only as long as the retention settings say (a scheduled purge)."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.jobs import register_job
from trainer.navigation import register_nav
from trainer.permissions import Role
from trainer.privacy import retention
from trainer.privacy.cli import privacy_cli
from trainer.privacy.services import purge_job
from trainer.privacy.views import bp


def init_app(app: Flask) -> None:
    retention.settings_from_environment(app)
    app.register_blueprint(bp)
    app.cli.add_command(privacy_cli)
    register_nav(app, _l("Personal data"), "privacy.index", {Role.ADMIN}, order=82)
    register_job(
        app,
        "privacy.purge",
        purge_job,
        cron="50 3 * * *",
        description="remove personal data past its retention period",
    )

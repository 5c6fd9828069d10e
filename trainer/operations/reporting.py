"""Error reporting to Sentry when SENTRY_DSN is set (optional: `pip install sentry-sdk`)."""

import logging

from flask import Flask

try:  # optional dependency: only sites that report errors install it
    import sentry_sdk
except ImportError:  # pragma: no cover - depends on the installation
    sentry_sdk = None

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    if sentry_sdk is None:
        log.warning("SENTRY_DSN is set but sentry-sdk is not installed; errors are only logged")
        return
    # The Flask integration is enabled automatically; no personal data leaves the site.
    sentry_sdk.init(
        dsn=dsn,
        send_default_pii=False,
        environment=app.config.get("TRAINER_ENV", "development"),
        traces_sample_rate=0.0,
    )

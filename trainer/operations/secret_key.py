"""One secret key per site: instances that sign with different keys are refused at start.

Two instances behind a load balancer with different SECRET_KEYs bounce every user to the
login page and fail every form (CSRF), at random, by which instance answers. So each instance
compares an HMAC of a fixed text under its key (the key itself is never stored) with the one
the database recorded, and refuses to start on a mismatch. A deliberate rotation: stop every
instance, set the new SECRET_KEY everywhere, start one with TRAINER_ROTATE_SECRET_KEY=1 (it
records the new fingerprint), then start the others without the flag.
"""

import hashlib
import hmac
import logging
import os

from flask import Flask
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from trainer.config import ConfigurationError
from trainer.db import write_intent
from trainer.extensions import db
from trainer.operations.models import SiteSetting

log = logging.getLogger(__name__)
SETTING = "secret_key_fingerprint"


def fingerprint(secret_key: str) -> str:
    return hmac.new(
        secret_key.encode(), b"trainer: the key that signs this site", hashlib.sha256
    ).hexdigest()


def check_enabled(app: Flask) -> bool:
    """On everywhere but in tests, which start many apps with different keys on one database;
    a test turns it on with SECRET_KEY_CHECK=True."""
    configured = app.config.get("SECRET_KEY_CHECK")
    return bool(configured) if configured is not None else not app.config.get("TESTING")


def check_secret_key(app: Flask) -> None:
    """Record this key's fingerprint, or refuse to start when another key's is recorded.

    Raises ConfigurationError on a mismatch (unless rotating). A database without the table
    yet (before `trainer db upgrade`) or unreachable at start is logged and not checked."""
    if not check_enabled(app):
        return
    mine = fingerprint(app.config["SECRET_KEY"])
    rotate = os.environ.get("TRAINER_ROTATE_SECRET_KEY") == "1" or app.config.get(
        "ROTATE_SECRET_KEY", False
    )
    with app.app_context(), write_intent():
        try:
            record_or_compare(mine, rotate)
        except (OperationalError, ProgrammingError) as exc:
            db.session.rollback()
            log.warning("secret key not checked against the database: %s", exc.orig)
        except ConfigurationError:
            db.engine.dispose()  # the refused app is never used: it keeps no connection open
            raise
        finally:
            db.session.remove()


def record_or_compare(mine: str, rotate: bool) -> None:
    recorded = db.session.get(SiteSetting, SETTING)
    if recorded is None:
        db.session.add(SiteSetting(name=SETTING, value=mine))
        try:
            db.session.commit()
            return
        except IntegrityError:  # another instance starting at the same moment recorded first
            db.session.rollback()
            recorded = db.session.get(SiteSetting, SETTING)
    if recorded.value == mine:
        db.session.rollback()
        return
    if rotate:
        recorded.value = mine
        db.session.commit()
        log.warning("TRAINER_ROTATE_SECRET_KEY: this site's secret key is now the new one")
        return
    db.session.rollback()
    raise ConfigurationError(
        "Refusing to start: this instance's SECRET_KEY differs from the one the site's other "
        "instances use (the database records its fingerprint). Every instance, worker and "
        "scheduler must share one SECRET_KEY; set the same value everywhere. To change the key "
        "on purpose, stop every instance, set the new SECRET_KEY, start one instance with "
        "TRAINER_ROTATE_SECRET_KEY=1, then the others without it (README, Stored files and keys)."
    )

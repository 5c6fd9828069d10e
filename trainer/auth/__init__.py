"""Logging in and out, password changes and the language preference."""

from flask import (
    Flask,
    current_app,
    flash,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer import clock
from trainer.accounts.models import User
from trainer.auth.models import LoginThrottle, UserSession
from trainer.auth.services import (
    SEEN_RESOLUTION_SECONDS,
    live_session_started,
    session_is_live,
)
from trainer.auth.views import bp
from trainer.extensions import babel, db, login_manager
from trainer.permissions import PUBLIC

# What a user who must choose a password may still reach.
BEFORE_OWN_PASSWORD = {"auth.password", "auth.logout", "auth.language", "static", "favicon"}


def load_user(user_id: str):
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    # One statement on every request: the user, their roles and their session's start.
    row = (
        db.session.execute(
            select(User, live_session_started(User.id, session.get("sid")))
            .options(joinedload(User.role_rows))
            .where(User.id == int(raw_id))
        )
        .unique()
        .first()
    )
    if row is None:
        return None
    user, started = row
    # The token changes with the password, which signs out every other session.
    if not user.active or user.session_token != token:
        return None
    # The server-side record: ended by logout or an administrator, or timed out → signed out.
    seen = session.get("seen")
    if not session_is_live(started, seen):
        return None
    now = int(clock.now().timestamp())
    if now - seen >= SEEN_RESOLUTION_SECONDS:
        session["seen"] = now  # any request (an autosave too) is activity
    return user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def require_own_password():
    """An account an administrator created or reset reaches nothing but the password change
    until its user has chosen their own password (public pages stay public)."""
    if request.endpoint in BEFORE_OWN_PASSWORD or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "required_roles", None) == PUBLIC:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        flash(_("Choose your own password before you go on."), "warning")
        return redirect(url_for("auth.password"))
    return None


__all__ = ["LoginThrottle", "UserSession", "init_app"]


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(require_own_password)
    app.register_blueprint(bp)

"""Logging in and out, password changes and the language preference."""

from flask import Flask, current_app, has_request_context, session
from flask_login import current_user
from sqlalchemy import select

from trainer import clock
from trainer.accounts.models import User
from trainer.auth.models import LoginThrottle, UserSession
from trainer.auth.services import SEEN_RESOLUTION_SECONDS, live_session
from trainer.auth.views import bp
from trainer.extensions import babel, db, login_manager


def load_user(user_id: str):
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.scalar(select(User).where(User.id == int(raw_id)))
    # The token changes with the password, which signs out every other session.
    if user is None or not user.active or user.session_token != token:
        return None
    # The server-side record: ended by logout or an administrator, or timed out → signed out.
    seen = session.get("seen")
    if live_session(user.id, session.get("sid"), seen) is None:
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


__all__ = ["LoginThrottle", "UserSession", "init_app"]


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)

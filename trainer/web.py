"""App-wide web concerns: error pages, security headers, template globals."""

from flask import Flask, g, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import CSRFError

from trainer.auth.forms import LanguageForm
from trainer.extensions import db
from trainer.navigation import nav_entries_for_current_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # style attributes (progress bar widths) are harmless; scripts are never inline
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def error_page(code: int):
    def handler(error):
        if code == 500:
            # A failed flush (e.g. SQLite "database is locked") leaves the session unusable;
            # without a rollback the error page's own queries (current user, navigation) fail.
            db.session.rollback()
        return render_template(f"errors/{code}.html", error=error), code

    return handler


def csrf_error(error: CSRFError):
    return render_template("errors/400.html", error=error), 400


def forget_cached_user() -> None:
    # Flask-Login caches the user (and Flask-Babel the locale) on `g`; when an app context
    # outlives one request (tests, scripts driving the app), the next request must not
    # inherit the previous user's identity or language.
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)


def end_transaction(error: BaseException | None) -> None:
    # A request that began a transaction and did not commit it (a POST that only read, a
    # refused form) ends it here, so it never keeps SQLite's write lock (BEGIN IMMEDIATE)
    # past the request, even when the app context, and so the session, lives on (tests).
    if db.session().in_transaction():
        db.session.rollback()


def init_app(app: Flask) -> None:
    app.before_request(forget_cached_user)
    app.teardown_request(end_transaction)
    app.after_request(set_security_headers)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, error_page(code))
    app.register_error_handler(CSRFError, csrf_error)

    @app.context_processor
    def globals_for_templates():
        locale = get_locale()
        return {
            "nav_entries": nav_entries_for_current_user(),
            # "zh_CN" parses to zh_Hans_CN: compare on language and territory only.
            "current_locale": (
                "_".join(filter(None, (locale.language, locale.territory))) if locale else ""
            ),
            "language_form": LanguageForm(formdata=None, next=request.full_path.rstrip("?")),
        }

"""App-wide web concerns: error pages, security headers, template globals."""

from pathlib import Path

from flask import Flask, current_app, g, jsonify, render_template, request, session
from flask_babel import force_locale, get_locale
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from trainer.auth.forms import LanguageForm
from trainer.db import is_busy_error, is_unavailable_error, write_intent
from trainer.extensions import db
from trainer.navigation import nav_entries_for_current_user
from trainer.permissions import public

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # no 'unsafe-inline' anywhere: progress widths are set by app.js from data attributes
        "style-src 'self'",
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
        with write_intent(False):  # an error page only reads, even for a POST
            return render_template(f"errors/{code}.html", error=error), code

    return handler


RETRY_AFTER_SECONDS = 2
MAX_BUSY_RETRIES = 5
RETRY_FIELD = "_busy_retry"


def resubmittable_fields() -> list[tuple[str, str]] | None:
    """The posted fields, to send again from the busy page; None when that is not possible
    (files cannot be re-sent, passwords are never written into a page)."""
    if request.files or any("password" in name for name in request.form):
        return None
    return [(k, v) for k, v in request.form.items(multi=True) if k != RETRY_FIELD]


def database_error(error: OperationalError):
    """The database could not take a lock in time: nothing was written, so answer 503 with
    Retry-After. Pages send the same request again by themselves (errors/503.html,
    static/js/busy_retry.js); autosave retries on its own. Any other database error is a 500."""
    db.session.rollback()
    if is_unavailable_error(error):
        return database_unavailable(error)
    if not is_busy_error(error):
        current_app.logger.exception("database error", exc_info=error)
        return error_page(500)(error)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(busy=True, retry=True), 503, headers
    retries = request.values.get(RETRY_FIELD, "0")
    retries = int(retries) + 1 if retries.isdigit() else 1
    fields = resubmittable_fields() if request.method == "POST" else []
    with write_intent(False):  # the page itself only reads, and must not queue for the lock
        page = render_template(
            "errors/503.html",
            fields=fields if retries <= MAX_BUSY_RETRIES else None,
            retries=retries,
            retry_field=RETRY_FIELD,
            retry_after=RETRY_AFTER_SECONDS,
        )
    return page, 503, headers


def out_of_range_error(error: Exception):
    """A number in the query string or a form beyond what the database holds: bad input."""
    db.session.rollback()
    with write_intent(False):
        return render_template("errors/400.html", error=error), 400


UNAVAILABLE_RETRY_AFTER_SECONDS = 10


def database_unavailable(error: Exception):
    """The database is down, unreachable or did not answer within its timeout: one request
    fails quickly with a friendly 503 instead of hanging a worker. The page neither loads the
    user nor the navigation (both need the database), so it picks its language from the
    session alone."""
    db.session.rollback()
    current_app.logger.error("database unavailable: %s", error)
    headers = {
        "Retry-After": str(UNAVAILABLE_RETRY_AFTER_SECONDS),
        "Cache-Control": "no-store",
    }
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(unavailable=True, retry=True), 503, headers
    locale = session.get("locale")
    if locale not in current_app.config["LANGUAGES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        # The environment directly: the context processors (user, navigation) need the database.
        template = current_app.jinja_env.get_template("errors/unavailable.html")
        page = template.render(
            retry_after=UNAVAILABLE_RETRY_AFTER_SECONDS, request_id=g.get("request_id", "")
        )
    return page, 503, headers


def csrf_error(error: CSRFError):
    with write_intent(False):
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


@public
def favicon():
    """Browsers ask for /favicon.ico on every page whatever the page links to."""
    icon = Path(current_app.static_folder, "favicon.ico").read_bytes()
    return current_app.response_class(
        icon,
        mimetype="image/vnd.microsoft.icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def init_app(app: Flask) -> None:
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    # First of all the before_request hooks: a hook registered earlier that reads
    # current_user (the own-password check) would otherwise load the user, have it
    # forgotten here, and the view load it again — three statements twice per request.
    app.before_request_funcs.setdefault(None, []).insert(0, forget_cached_user)
    app.teardown_request(end_transaction)
    app.after_request(set_security_headers)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, error_page(code))
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(OperationalError, database_error)
    app.register_error_handler(DataError, out_of_range_error)  # PostgreSQL: out of range
    app.register_error_handler(OverflowError, out_of_range_error)  # SQLite: too large an int
    app.register_error_handler(PoolTimeoutError, database_unavailable)

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

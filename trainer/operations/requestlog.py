"""One log line per request (request id, user id, route, status, latency), plain or JSON.

The request id comes from the proxy's X-Request-ID when it sends one, else is made here; it is
sent back in the response header and printed on error pages, so a user's report ("编号 …")
finds the log line and the traceback.
"""

import json
import logging
import re
import time
import uuid

from flask import Flask, g, request
from sqlalchemy import inspect

log = logging.getLogger("trainer.requests")
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")  # a proxy's id, if it looks like one


class JsonFormatter(logging.Formatter):
    """A JSON object per record: the message, its level and logger, and the request fields."""

    FIELDS = ("request_id", "user_id", "method", "route", "path", "status", "latency_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def begin_request() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if INCOMING_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def loaded_user_id() -> int | None:
    """The user's id only if this request loaded them already, read from the identity key:
    logging must not query the database (after a commit the user is expired, and `user.id`
    would SELECT — failing a request whose write has committed when SQLite is busy)."""
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    return state.identity[0] if state is not None and state.identity else None


def request_fields(status: int) -> dict:
    return {
        "request_id": g.get("request_id", ""),
        "user_id": loaded_user_id(),
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "path": request.path,
        "status": status,
        "latency_ms": round(
            (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1
        ),
    }


def end_request(response):
    response.headers.setdefault("X-Request-ID", g.get("request_id", ""))
    fields = request_fields(response.status_code)
    g.request_fields = fields
    log.info(
        "%(method)s %(path)s %(status)s %(latency_ms)sms user=%(user_id)s id=%(request_id)s",
        fields,
        extra=fields,
    )
    return response


def configure_logging(app: Flask) -> None:
    """TRAINER_LOG_FORMAT=json: JSON lines on stderr for the whole app (gunicorn collects them)."""
    if app.config.get("LOG_FORMAT") != "json" or app.config.get("TESTING"):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    configure_logging(app)
    log.setLevel(logging.INFO)
    app.before_request(begin_request)
    app.after_request(end_request)

    @app.context_processor
    def request_id():
        return {"request_id": g.get("request_id", "")}

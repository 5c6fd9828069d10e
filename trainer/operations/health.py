"""/healthz (the process answers) and /readyz (it can serve: database reachable, Redis when
configured, schema at the latest migration) for load balancers and orchestrators."""

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from redis import Redis
from sqlalchemy import text

from trainer.extensions import db
from trainer.permissions import public

bp = Blueprint("operations", __name__)


@bp.get("/healthz")
@public
def healthz():
    return jsonify(status="ok"), 200, {"Cache-Control": "no-store"}


def migration_heads() -> set[str]:
    directory = current_app.extensions["migrate"].directory
    return set(ScriptDirectory(directory).get_heads())


def check_database() -> str:
    db.session.execute(text("SELECT 1"))
    applied = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    db.session.rollback()
    if applied != migration_heads():
        return f"schema at {sorted(applied) or 'nothing'}, code expects {sorted(migration_heads())}"
    return "ok"


def check_redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    Redis.from_url(url, **current_app.config.get("REDIS_OPTIONS", {})).ping()
    return "ok"


def run_check(check) -> str:
    try:
        return check()
    except Exception as exc:  # readiness reports what failed instead of failing itself
        db.session.rollback()
        return f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"


@bp.get("/readyz")
@public
def readyz():
    checks = {"database": run_check(check_database), "redis": run_check(check_redis)}
    ready = checks["database"] == "ok" and checks["redis"] in ("ok", "not configured")
    body = jsonify(status="ready" if ready else "not ready", checks=checks)
    return body, 200 if ready else 503, {"Cache-Control": "no-store"}

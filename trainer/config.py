"""Settings read from the environment, with safe defaults. No app import here."""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository: library files, templates
DEFAULT_INSTANCE = ROOT / "instance"


class ConfigurationError(RuntimeError):
    """A setting production cannot run without is missing; the message says which and how."""


def is_production(env=os.environ) -> bool:
    """TRAINER_ENV=production, or running under gunicorn (its arbiter sets SERVER_SOFTWARE)."""
    return env.get("TRAINER_ENV", "").lower() == "production" or env.get(
        "SERVER_SOFTWARE", ""
    ).startswith("gunicorn")


def check_production_settings(env=os.environ) -> None:
    """Refuse to start a production site on settings that only suit one laptop: a generated
    key differs per machine (users bounced to login, CSRF failures), and certificates issued
    with the default public URL carry a QR code pointing at 127.0.0.1 forever."""
    missing = [name for name in ("SECRET_KEY", "TRAINER_PUBLIC_URL") if not env.get(name)]
    if missing:
        raise ConfigurationError(
            "Refusing to start in production without "
            + " and ".join(missing)
            + ". Set SECRET_KEY to a long random value shared by every worker and machine "
            "(python3 -c 'import secrets; print(secrets.token_hex(32))') and "
            "TRAINER_PUBLIC_URL to the site's public address (e.g. https://training.example.cn); "
            "see README, Production."
        )


def instance_secret_key(instance_path: Path) -> str:
    """Return the secret stored in instance/, creating it on first run (development only).

    A constant key in the repository would let anyone forge sessions and verification codes,
    so an unset SECRET_KEY means "generate one per install". Several processes may start at
    once (gunicorn workers, the scheduler): each writes its candidate to a private temporary
    file and hard-links it into place; a link never replaces an existing file, so exactly one
    candidate wins and everyone reads that one.
    """
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd, candidate = tempfile.mkstemp(prefix=".secret_key.", dir=instance_path)
        try:
            with os.fdopen(fd, "w") as handle:  # mkstemp: mode 0600 from the start
                handle.write(secrets.token_hex(32))
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # another process won: read its key
                os.link(candidate, key_file)
        finally:
            os.unlink(candidate)
    return key_file.read_text().strip()


def sqlite_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'trainer.db'}"


def seconds(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def engine_options(database_url: str) -> dict:
    """Connection pool options with timeouts, so a dead or frozen database fails one request
    within seconds (answered 503) instead of hanging a worker until gunicorn kills it."""
    connect = seconds("TRAINER_DB_CONNECT_TIMEOUT", 3)
    options: dict = {"pool_pre_ping": True, "pool_timeout": connect}
    if database_url.startswith("postgresql"):
        statement_ms = int(seconds("TRAINER_DB_STATEMENT_TIMEOUT", 15) * 1000)
        lock_ms = int(seconds("TRAINER_DB_LOCK_TIMEOUT", 10) * 1000)
        options["connect_args"] = {
            # libpq counts whole seconds, at least 2
            "connect_timeout": max(2, round(connect)),
            # jit=off: the dashboards' counting queries look costly to the planner, whose JIT
            # then spends ~0.5 s compiling a query that runs in 0.2 s (issue 25).
            "options": f"-c statement_timeout={statement_ms} -c lock_timeout={lock_ms} -c jit=off",
        }
    return options


def redis_options() -> dict:
    """Short socket timeouts: a hung Redis costs a request a fraction of a second."""
    timeout = seconds("TRAINER_REDIS_TIMEOUT", 0.5)
    return {"socket_connect_timeout": timeout, "socket_timeout": timeout}


def from_environment(instance_path: Path) -> dict:
    env = os.environ
    if is_production(env):
        check_production_settings(env)
    database_url = env.get("DATABASE_URL") or sqlite_url(instance_path)
    if database_url.startswith("postgres://"):  # Heroku-style URLs
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    redis_url = env.get("REDIS_URL") or None
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # SQLite: how long a writer queues for the write lock before the request answers 503
        "SQLITE_BUSY_TIMEOUT_MS": int(seconds("TRAINER_DB_LOCK_TIMEOUT", 10) * 1000),
        "REDIS_URL": redis_url,
        "REDIS_OPTIONS": redis_options(),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_STORAGE_OPTIONS": redis_options() if redis_url else {},
        # Redis down: count in this process's memory (and log it) rather than refuse logins
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": env.get("TRAINER_LOCALE", "zh_CN"),
        "BABEL_DEFAULT_TIMEZONE": env.get("TRAINER_TIMEZONE", "Asia/Shanghai"),
        "LANGUAGES": ("zh_CN", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("TRAINER_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": int(env.get("TRAINER_MAX_UPLOAD", str(5 * 1024 * 1024))),
        # Per client address: a ceiling well above a business hall's shift start behind one
        # NAT address; guessing is stopped per account by the lockout below.
        "LOGIN_RATE_LIMIT": env.get("TRAINER_LOGIN_RATE_LIMIT", "100 per minute"),
        "LOGIN_LOCKOUT_FREE_ATTEMPTS": int(env.get("TRAINER_LOCKOUT_FREE_ATTEMPTS", "5")),
        "LOGIN_LOCKOUT_BASE_SECONDS": int(env.get("TRAINER_LOCKOUT_BASE_SECONDS", "30")),
        "LOGIN_LOCKOUT_MAX_SECONDS": int(env.get("TRAINER_LOCKOUT_MAX_SECONDS", "900")),
        # Per client address; a generous burst for a hall checking many certificates at once.
        "CERTIFICATE_VERIFY_RATE_LIMIT": env.get(
            "TRAINER_VERIFY_RATE_LIMIT", "60 per minute;600 per hour"
        ),
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
        "PROXY_HOPS": int(env.get("TRAINER_PROXY_HOPS", "0")),
        "SESSION_IDLE_MINUTES": int(env.get("TRAINER_SESSION_IDLE_MINUTES", "30")),
        "SESSION_MAX_HOURS": int(env.get("TRAINER_SESSION_MAX_HOURS", "12")),
        "PASSWORD_HASH_METHOD": env.get("TRAINER_PASSWORD_HASH", "argon2id"),
        # Password hashes computed at once per process (each Argon2id hash takes 19 MiB).
        "PASSWORD_HASH_CONCURRENCY": int(
            env.get("TRAINER_PASSWORD_HASH_CONCURRENCY", str(os.cpu_count() or 2))
        ),
        "PUBLIC_BASE_URL": env.get("TRAINER_PUBLIC_URL", "http://127.0.0.1:5000"),
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_FROM": env.get("MAIL_FROM", "trainer@localhost"),
        # Module pages need their minimum reading time before "studied" (off only for the
        # browser tests and load benches, which click through pages at machine speed).
        "MODULE_READING_TIME": env.get("TRAINER_MODULE_READING_TIME", "1") == "1",
        "TRAINER_ENV": "production" if is_production(env) else "development",
        "LOG_FORMAT": env.get("TRAINER_LOG_FORMAT", "text"),
        "METRICS_TOKEN": env.get("TRAINER_METRICS_TOKEN") or None,
        "SENTRY_DSN": env.get("SENTRY_DSN") or None,
        # Stored files (certificate PDFs, question assets): the database, or s3://bucket/prefix
        "STORAGE_URL": env.get("TRAINER_STORAGE_URL") or None,
        "S3_ENDPOINT_URL": env.get("TRAINER_S3_ENDPOINT_URL")
        or env.get("AWS_ENDPOINT_URL")
        or None,
    }

"""Settings read from the environment, with safe defaults. No app import here."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository: library files, templates
DEFAULT_INSTANCE = ROOT / "instance"


def instance_secret_key(instance_path: Path) -> str:
    """Return the secret stored in instance/, creating it on first run.

    A constant key in the repository would let anyone forge sessions and
    verification codes, so an unset SECRET_KEY means "generate one per install".
    """
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def sqlite_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'trainer.db'}"


def from_environment(instance_path: Path) -> dict:
    env = os.environ
    database_url = env.get("DATABASE_URL") or sqlite_url(instance_path)
    if database_url.startswith("postgres://"):  # Heroku-style URLs
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    redis_url = env.get("REDIS_URL") or None
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
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
    }

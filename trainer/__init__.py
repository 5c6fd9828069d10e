"""Window-service training and certification (营业厅窗口服务人员培训与上岗认证)."""

from importlib import import_module
from pathlib import Path

from flask import Flask

from trainer import config as settings
from trainer.extensions import csrf, db, limiter, login_manager, migrate

# Feature packages, each with init_app(app) registering its blueprint, CLI, navigation,
# dashboard panels and path requirements. Order is the navbar's tie-breaker only.
FEATURES = (
    "audit",
    "auth",
    "accounts",
    "training",
    "dashboard",
    "phrases",
    "content",
    "internship",
    "roleplay",
    "quizzes",
    "certificates",
    "reports",
    "coaching",
    "recognition",
    "demo",
)

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(settings.DEFAULT_INSTANCE),
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_mapping(settings.from_environment(Path(app.instance_path)))
    if config:
        app.config.update(config)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    for feature in FEATURES:
        import_module(f"trainer.{feature}").init_app(app)

    from trainer import library, web

    library.init_app(app)
    web.init_app(app)
    return app

"""Window-service training and certification (营业厅窗口服务人员培训与上岗认证).

`create_app` builds everything an app owns: its settings, its extensions, and its registries
(`app.extensions[...]`: the clock, events, jobs, navigation, dashboard panels, library
loaders, demo seeders, then the features' own: the trainee path, question types), so two apps
in one process never share any. Features are initialised bottom layer first (README,
"Layers"), so a feature finds the registries of the features it builds on.
"""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from trainer import (
    accounts,
    audit,
    auth,
    certificates,
    clock,
    coaching,
    content,
    dashboard,
    demo,
    events,
    internship,
    jobs,
    library,
    library_status,
    navigation,
    notifications,
    operations,
    panels,
    phrases,
    practical,
    privacy,
    quizzes,
    recognition,
    reports,
    roleplay,
    seeding,
    storage,
    training,
    web,
)
from trainer import config as settings
from trainer.config import ROOT
from trainer.extensions import csrf, db, limiter, login_manager, migrate
from trainer.request_limits import BoundedIntegerConverter, BoundedJsonRequest

# The app's own registries, then the features, bottom layer first.
REGISTRIES = (clock, events, jobs, navigation, panels, library, seeding, storage)
FEATURES = (
    audit,
    accounts,
    auth,
    training,
    phrases,
    content,
    internship,
    quizzes,
    roleplay,
    practical,
    certificates,
    coaching,
    reports,
    recognition,
    notifications,
    privacy,
    dashboard,
    library_status,
    demo,
)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(settings.DEFAULT_INSTANCE),
        template_folder=str(ROOT / "templates"),
    )
    # Before any route is added: `<int:id>` beyond the database's range is a 404, and JSON
    # bodies are refused past a nesting depth (trainer/request_limits.py).
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.request_class = BoundedJsonRequest
    app.config.from_mapping(settings.from_environment(Path(app.instance_path)))
    if config:
        app.config.update(config)
    # from the final URL: a test or script may point the app at another database
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", settings.engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )

    if hops := app.config.get("PROXY_HOPS", 0):
        # Trust exactly the configured proxies: the client address is the one the outermost
        # trusted proxy saw; anything a client writes further left is ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

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

    for module in (*REGISTRIES, *FEATURES):
        module.init_app(app)
    operations.init_app(app)
    web.init_app(app)
    return app


__all__ = ["ROOT", "create_app"]

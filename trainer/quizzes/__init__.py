"""Question banks and the exam engine: practice quizzes, the pre-job exam and the final exam."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.dashboard.panels import register_panel
from trainer.library import register_library_loader
from trainer.navigation import register_nav
from trainer.permissions import Role


def init_app(app: Flask) -> None:
    from trainer.quizzes import demo, panels, requirements  # noqa: F401  (registers requirements)
    from trainer.quizzes.cli import banks_cli, quizzes_cli
    from trainer.quizzes.library import load_question_banks
    from trainer.quizzes.manage_views import bp as manage_bp
    from trainer.quizzes.views import bp

    app.config.setdefault("QUIZ_GRACE_SECONDS", 30)
    app.register_blueprint(bp)
    app.register_blueprint(manage_bp)
    app.cli.add_command(banks_cli)
    app.cli.add_command(quizzes_cli)
    register_nav(
        _l("Exams"),
        "quizzes.index",
        {Role.TRAINEE},
        order=30,
        icon="pencil-square",
        group="assessment",
    )
    register_nav(
        _l("Question banks"),
        "quiz_admin.banks",
        {Role.TRAINER},
        order=60,
        icon="collection",
        group="assessment",
    )
    register_nav(
        _l("Quizzes"),
        "quiz_admin.quizzes",
        {Role.TRAINER},
        order=61,
        icon="ui-checks",
        group="assessment",
    )
    register_nav(
        _l("Grading"),
        "quiz_admin.grading",
        {Role.TRAINER},
        order=62,
        icon="check2-square",
        group="assessment",
    )
    register_panel(Role.TRAINEE, "quizzes/panel_exams.html", panels.trainee_quiz_panel, order=30)
    register_panel(Role.TRAINER, "quizzes/panel_grading.html", panels.trainer_grading_panel, 40)
    register_library_loader("question banks", load_question_banks, order=40)
    demo.register()

"""Question banks and the exam engine: practice quizzes, the pre-job exam and the final exam."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.jobs.registry import register_job
from trainer.library import register_library_loader
from trainer.navigation import register_nav
from trainer.panels import register_panel
from trainer.permissions import Role
from trainer.quizzes import category_titles, library_kind, panels, question_types
from trainer.quizzes.asset_views import bp as assets_bp
from trainer.quizzes.browser_views import bp as browser_bp
from trainer.quizzes.cli import banks_cli, quizzes_cli
from trainer.quizzes.demo import seed_quiz_attempts
from trainer.quizzes.library import load_question_banks
from trainer.quizzes.manage_views import bp as manage_bp
from trainer.quizzes.question_views import bp as question_bp
from trainer.quizzes.requirements import passed_final_exam, passed_pre_job_exam
from trainer.quizzes.services import close_overdue_job
from trainer.quizzes.views import bp
from trainer.seeding import register_seeder
from trainer.training.stages import Stage


def init_app(app: Flask) -> None:
    app.config.setdefault("QUIZ_GRACE_SECONDS", 30)
    question_types.init_app(app)
    path = app.extensions["trainee_path"]
    path.requirement(Stage.PRE_JOB_PASSED)(passed_pre_job_exam)
    path.requirement(Stage.FINAL_PASSED)(passed_final_exam)
    app.register_blueprint(bp)
    app.add_template_filter(category_titles.category_title, "category_title")
    app.add_template_filter(category_titles.bank_title, "bank_title")
    app.add_template_filter(category_titles.question_type_label, "question_type")
    app.register_blueprint(manage_bp)
    app.register_blueprint(question_bp)
    app.register_blueprint(browser_bp)
    app.register_blueprint(assets_bp)
    app.cli.add_command(banks_cli)
    app.cli.add_command(quizzes_cli)
    register_job(
        app,
        "quizzes.close_overdue",
        close_overdue_job,
        cron="* * * * *",
        description="submit attempts whose time ran out (with their saved answers)",
    )
    register_nav(
        app,
        _l("Exams"),
        "quizzes.index",
        {Role.TRAINEE},
        order=30,
        icon="pencil-square",
        group="assessment",
    )
    register_nav(
        app,
        _l("Question banks"),
        "question_bank.browse",
        {Role.TRAINER},
        order=60,
        icon="collection",
        group="assessment",
    )
    register_nav(
        app,
        _l("Quizzes"),
        "quiz_admin.quizzes",
        {Role.TRAINER},
        order=61,
        icon="ui-checks",
        group="assessment",
    )
    register_nav(
        app,
        _l("Grading"),
        "quiz_admin.grading",
        {Role.TRAINER},
        order=62,
        icon="check2-square",
        group="assessment",
    )
    register_panel(
        app, Role.TRAINEE, "quizzes/panel_exams.html", panels.trainee_quiz_panel, order=30
    )
    register_panel(
        app, Role.TRAINER, "quizzes/panel_grading.html", panels.trainer_grading_panel, 40
    )
    register_library_loader(app, "question banks", load_question_banks, order=40)
    library_kind.init_app(app)
    register_seeder(app, "quiz attempts", seed_quiz_attempts, order=400)

"""Post certificates (上岗证): issuance on the final pass, PDFs, verification, revocation."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.certificates import panels
from trainer.certificates.bulk import QUEUE_NAME, resume_stuck_batches
from trainer.certificates.cli import certs_cli
from trainer.certificates.demo import seed_certificates
from trainer.certificates.issuing import issue_due, on_final_passed, on_refresher_passed_event
from trainer.certificates.requirements import certificate_issued
from trainer.certificates.views import bp
from trainer.events import listen
from trainer.jobs.registry import register_job, register_queue
from trainer.navigation import register_nav
from trainer.panels import register_panel
from trainer.permissions import Role
from trainer.quizzes.services import REFRESHER_PASSED
from trainer.seeding import register_seeder
from trainer.training.stages import Stage


def init_app(app: Flask) -> None:
    path = app.extensions["trainee_path"]
    path.requirement(Stage.CERTIFIED)(certificate_issued)
    path.on_enter(Stage.FINAL_PASSED)(on_final_passed)
    listen(app, REFRESHER_PASSED, on_refresher_passed_event, after_commit=True)
    app.register_blueprint(bp)
    app.cli.add_command(certs_cli)
    register_queue(app, QUEUE_NAME)
    register_job(
        app,
        "certificates.issue_due",
        issue_due,
        cron="*/5 * * * *",
        description="issue certificates still due after a final pass; store missing PDFs",
    )
    register_job(
        app,
        "certificates.resume_batches",
        resume_stuck_batches,
        cron="*/10 * * * *",
        description="finish bulk batches whose queued jobs were lost",
    )
    register_nav(
        app,
        _l("Certificates"),
        "certificates.register",
        {Role.TRAINER, Role.ADMIN},
        80,
        "patch-check",
        group="records",
    )
    register_panel(
        app,
        Role.TRAINEE,
        "certificates/panel_certificate.html",
        panels.trainee_certificate_panel,
        order=15,
    )
    register_panel(
        app,
        Role.TRAINER,
        "certificates/panel_register.html",
        panels.trainer_register_panel,
        order=60,
    )
    # After the path seeder (1000) has put the demo trainees at their target stages.
    register_seeder(app, "certificates", seed_certificates, order=999)

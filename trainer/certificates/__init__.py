"""Post certificates (上岗证): issuance on the final pass, PDFs, verification, revocation."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from trainer.dashboard.panels import register_panel
from trainer.navigation import register_nav
from trainer.permissions import Role


def init_app(app: Flask) -> None:
    from trainer.certificates import panels, requirements  # noqa: F401  (path hooks)
    from trainer.certificates.cli import certs_cli
    from trainer.certificates.demo import seed_certificates
    from trainer.certificates.views import bp
    from trainer.demo.seeding import register_seeder

    app.register_blueprint(bp)
    app.cli.add_command(certs_cli)
    register_nav(
        _l("Certificates"),
        "certificates.register",
        {Role.TRAINER, Role.ADMIN},
        80,
        "patch-check",
        group="records",
    )
    register_panel(
        Role.TRAINEE,
        "certificates/panel_certificate.html",
        panels.trainee_certificate_panel,
        order=15,
    )
    register_panel(
        Role.TRAINER, "certificates/panel_register.html", panels.trainer_register_panel, order=60
    )
    # After the path seeder (1000) has put the demo trainees at their target stages.
    register_seeder("certificates", seed_certificates, order=999)

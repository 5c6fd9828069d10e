"""Dashboard panels: the trainee's certificate, the trainer's register at a glance."""

from sqlalchemy import func, select

from trainer import clock
from trainer.accounts.models import User
from trainer.certificates.models import Certificate
from trainer.certificates.services import certificate_status, certificates_of, expiring_count
from trainer.extensions import db


def trainee_certificate_panel(user: User) -> dict | None:
    certificates = certificates_of(user)
    if not certificates:
        return None
    today = clock.today()
    return {"certificates": [(c, certificate_status(c, today)) for c in certificates]}


def trainer_register_panel(user: User) -> dict:
    current = db.session.scalar(
        select(func.count())
        .select_from(Certificate)
        .where(
            Certificate.revoked_at.is_(None),
            Certificate.superseded_by_id.is_(None),
            Certificate.expires_on >= clock.today(),
        )
    )
    awaiting_pdf = db.session.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.pdf_error.is_not(None))
    )
    return {"valid": current, "expiring": expiring_count(60), "pdf_failures": awaiting_pdf or 0}

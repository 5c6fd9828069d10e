"""Demo data: every trainee placed at or past the final exam is certified with a stored PDF."""

from sqlalchemy import select

from trainer.certificates.models import Certificate
from trainer.training.models import Enrolment
from trainer.training.stages import Stage


def test_demo_certified_trainees_hold_a_stored_certificate(demo_data, db):
    certified = db.session.scalars(
        select(Enrolment).where(Enrolment.stage == Stage.CERTIFIED)
    ).all()
    holders = set(db.session.scalars(select(Certificate.enrolment_id)))
    assert certified and {e.id for e in certified} == holders
    assert all(c.pdf_sha256 for c in db.session.scalars(select(Certificate)))

"""Demo data: certified trainees hold certificates; final-passed ones wait for bulk issuance."""

from sqlalchemy import select

from trainer.certificates.bulk import qualifying_enrolments
from trainer.certificates.models import Certificate
from trainer.training.models import Cohort, Enrolment
from trainer.training.stages import Stage


def test_demo_certified_trainees_hold_a_stored_certificate(runner, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    certified = db.session.scalars(
        select(Enrolment).where(Enrolment.stage == Stage.CERTIFIED)
    ).all()
    holders = set(db.session.scalars(select(Certificate.enrolment_id)))
    assert certified and {e.id for e in certified} == holders
    assert all(c.pdf_sha256 for c in db.session.scalars(select(Certificate)))
    waiting = [
        e for cohort in db.session.scalars(select(Cohort)) for e in qualifying_enrolments(cohort)
    ]
    assert waiting and all(e.stage == Stage.FINAL_PASSED for e in waiting)

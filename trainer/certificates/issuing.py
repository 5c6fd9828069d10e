"""Issuing in reaction to passes, after they commit, and the job that sweeps up the rest.

The path announces "entered FINAL_PASSED" and the quiz engine "refresher passed"; both are
handled here after the pass has committed, so an issue that fails (or a PDF that cannot be
written) never costs the pass. Whatever did not happen then — a crash between the commit and
the reaction, a full disk — the `certificates.issue_due` job finds from the durable state: a
trainee at FINAL_PASSED without a certificate, a certificate without its stored PDF (never
stored, or lost from the store since).
"""

from sqlalchemy import exists, select

from trainer import storage
from trainer.accounts.models import User
from trainer.certificates.documents import ensure_pdf, storage_key
from trainer.certificates.models import Certificate
from trainer.certificates.services import issue_and_certify, on_refresher_passed
from trainer.extensions import db
from trainer.quizzes.models import Attempt
from trainer.training.models import Enrolment
from trainer.training.stages import Stage


def on_final_passed(enrolment: Enrolment, actor: User | None) -> None:
    """Path listener (after commit): the final pass issues the certificate."""
    issue_and_certify(enrolment, actor)


def on_refresher_passed_event(attempt_id: int, actor_id: int | None) -> None:
    """Quiz event listener (after commit): a passed refresher renews the certificate."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is not None and attempt.passed:
        on_refresher_passed(attempt, db.session.get(User, actor_id) if actor_id else None)


def lost_pdfs() -> list[int]:
    """Certificates whose recorded PDF is gone from the store (one query or listing)."""
    recorded = dict(
        db.session.execute(
            select(Certificate.pdf_path, Certificate.id).where(Certificate.pdf_path.is_not(None))
        ).all()
    )
    gone = storage.missing(storage_key(path) for path in recorded)
    return sorted(recorded[key.removeprefix("certificates/")] for key in gone)


def issue_due() -> str:
    """Job: issue to everyone at FINAL_PASSED without a certificate, then store missing PDFs.

    Idempotent and safe to run twice at once: issuing is exactly-once per (enrolment, basis),
    the stage move is conditional, and a PDF already stored is left alone.
    """
    waiting = db.session.scalars(
        select(Enrolment)
        .where(
            Enrolment.stage == Stage.FINAL_PASSED,
            ~exists().where(Certificate.enrolment_id == Enrolment.id),
        )
        .order_by(Enrolment.id)
    ).unique()
    issued = 0
    for enrolment in waiting:
        issue_and_certify(enrolment, None)
        db.session.commit()
        issued += 1
    missing = db.session.scalars(
        select(Certificate.id).where(Certificate.pdf_sha256.is_(None)).order_by(Certificate.id)
    ).all()
    missing = sorted({*missing, *lost_pdfs()})
    db.session.commit()
    stored = sum(ensure_pdf(certificate_id) for certificate_id in missing)
    return f"{issued} certificates issued, {stored} of {len(missing)} missing PDFs stored"

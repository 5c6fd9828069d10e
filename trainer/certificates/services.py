"""Issuing, verifying, revoking and renewing certificates; services flush and audit."""

import base64
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from trainer import clock
from trainer.audit.services import record
from trainer.certificates.documents import ensure_pdf
from trainer.certificates.models import FIRST_CERTIFICATION, Certificate, CertificateSerial
from trainer.errors import DomainError
from trainer.events import after_commit, announce
from trainer.extensions import db
from trainer.permissions import Role
from trainer.training.models import Enrolment
from trainer.training.path import trainee_path
from trainer.training.services import current_enrolment
from trainer.training.stages import Stage

SERIAL_PREFIX = "SQ"
CODE_BYTES = 12  # 96 random bits: far beyond guessing, and no pattern to enumerate


ISSUED = "certificates.issued"  # announced with certificate_id, actor_id


class CertificateError(DomainError, ValueError):
    """A certificate rule was broken; the message is safe to show."""


# ---- pure rules ------------------------------------------------------------------------


def format_serial(year: int, sequence: int) -> str:
    return f"{SERIAL_PREFIX}-{year}-{sequence:06d}"


def new_verification_code() -> str:
    """20 characters of base32 (A–Z, 2–7): no 0/O or 1/I to misread when typed from paper."""
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode().rstrip("=")


def normalise_code(text: str) -> str:
    """What a person typed or scanned → the stored form (case, spaces and dashes ignored)."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def expiry_date(issued_on: date, valid_days: int) -> date:
    return issued_on + timedelta(days=valid_days)


def certificate_status(certificate: Certificate, today: date) -> str:
    """valid | expired | revoked. A replaced certificate counts as expired: the newer one rules."""
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.superseded_by_id is not None or today > certificate.expires_on:
        return "expired"
    return "valid"


@dataclass(frozen=True)
class Verification:
    status: str  # valid | expired | revoked | unknown
    serial: str | None = None
    name: str | None = None
    hall: str | None = None
    expires: date | None = None
    replaced_by: str | None = None
    anonymised: bool = False  # the holder left and was anonymised (name is a pseudonym)

    def to_dict(self) -> dict:
        """The CLI contract: status, serial, name, expires (YYYY-MM-DD) — nothing more."""
        return {
            "status": self.status,
            "serial": self.serial,
            "name": self.name,
            "expires": self.expires.isoformat() if self.expires else None,
        }


UNKNOWN = Verification("unknown")


# ---- reading ---------------------------------------------------------------------------


def verify(code: str, serial: str | None = None) -> Verification:
    """Look a certificate up by its verification code (and serial, when typed into the form).

    Only an exact code matches, so a code with one character changed is simply unknown.
    """
    code = normalise_code(code)
    if not code:
        return UNKNOWN
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.verification_code == code)
    )
    if certificate is None:
        return UNKNOWN
    if serial is not None and certificate.serial != serial.strip().upper():
        return UNKNOWN
    return Verification(
        status=certificate_status(certificate, clock.today()),
        serial=certificate.serial,
        name=certificate.holder_name,
        hall=certificate.hall_name,
        expires=certificate.expires_on,
        replaced_by=certificate.superseded_by.serial if certificate.superseded_by else None,
        anonymised=certificate.holder_anonymised,
    )


def certificate_for(enrolment: Enrolment, basis: str = FIRST_CERTIFICATION) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.enrolment_id == enrolment.id, Certificate.basis == basis
        )
    )


def latest_certificate(enrolment: Enrolment) -> Certificate | None:
    """The certificate that stands for the enrolment now (the newest, revoked or not)."""
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.enrolment_id == enrolment.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(1)
    )


def certificates_of(user) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def _expiring_within(days: int, today: date) -> list:
    return [
        Certificate.revoked_at.is_(None),
        Certificate.superseded_by_id.is_(None),
        Certificate.expires_on >= today,
        Certificate.expires_on <= today + timedelta(days=days),
    ]


def expiring(days: int, today: date | None = None) -> list[Certificate]:
    """Current certificates whose last valid day falls within the next `days` days."""
    today = today or clock.today()
    return list(
        db.session.scalars(
            select(Certificate)
            .where(*_expiring_within(days, today))
            .order_by(Certificate.expires_on, Certificate.serial)
        )
    )


def expiring_count(days: int, today: date | None = None) -> int:
    """How many certificates expiring() would list, counted by the database."""
    today = today or clock.today()
    return db.session.scalar(
        select(func.count(Certificate.id)).where(*_expiring_within(days, today))
    )


# ---- issuing ---------------------------------------------------------------------------


def next_sequence(year: int) -> int:
    """Take the next serial number of `year` with one atomic upsert.

    The row lock taken by the upsert (PostgreSQL) or the write lock (SQLite) lasts until the
    transaction ends, so two issuers never get the same number and none is skipped.
    """
    dialect = db.session.get_bind().dialect.name
    inserts = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}
    if dialect not in inserts:  # pragma: no cover - the app supports PostgreSQL and SQLite only
        raise RuntimeError(f"no atomic serial allocation for {dialect}")
    insert = inserts[dialect]
    table = CertificateSerial.__table__
    statement = (
        insert(table)
        .values(year=year, last=1)
        .on_conflict_do_update(index_elements=[table.c.year], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    return db.session.execute(statement).scalar_one()


def issuer(enrolment: Enrolment, actor):
    """Who issues: the acting trainer or administrator, else the system (None) — never the
    trainee whose own exam submission happened to set the issue off."""
    if actor is None or actor.id == enrolment.user_id:
        return None
    return actor if actor.has_any_role(Role.TRAINER, Role.ADMIN) else None


def issue_certificate(
    enrolment: Enrolment, actor=None, *, basis: str = FIRST_CERTIFICATION
) -> Certificate:
    """Issue the certificate for one pass; issuing again for the same pass returns the first.

    The (enrolment, basis) unique constraint settles a race: the loser's insert fails inside
    a savepoint and it returns the winner's certificate.
    """
    if (existing := certificate_for(enrolment, basis)) is not None:
        return existing
    actor = issuer(enrolment, actor)
    today = clock.today()
    user, programme = enrolment.user, enrolment.programme
    try:
        with db.session.begin_nested():
            sequence = next_sequence(today.year)
            certificate = Certificate(
                enrolment_id=enrolment.id,
                user_id=user.id,
                basis=basis,
                year=today.year,
                sequence=sequence,
                serial=format_serial(today.year, sequence),
                verification_code=new_verification_code(),
                holder_name=user.name,
                employee_no=user.employee_no,
                hall_name=user.hall.name if user.hall else None,
                programme_name=programme.name,
                trainer_name=enrolment.cohort.trainer.name if enrolment.cohort else None,
                issued_on=today,
                expires_on=expiry_date(today, programme.certificate_valid_days),
                issued_at=clock.now(),
                issued_by_id=getattr(actor, "id", None),
            )
            db.session.add(certificate)
            db.session.flush()
    except IntegrityError:
        if (existing := certificate_for(enrolment, basis)) is not None:
            return existing
        raise
    record(
        actor,
        "certificate.issue",
        certificate,
        after={"serial": certificate.serial, "user": user.employee_no, "basis": basis},
    )
    # The PDF is rendered once this transaction (and the serial number's lock) is over.
    after_commit(partial(ensure_pdf, certificate.id))
    announce(ISSUED, certificate_id=certificate.id, actor_id=getattr(actor, "id", None))
    return certificate


def issue_and_certify(enrolment: Enrolment, actor=None) -> Certificate:
    """Issue for a trainee who passed the final exam and move them on to CERTIFIED."""
    actor = issuer(enrolment, actor)
    certificate = issue_certificate(enrolment, actor)
    if enrolment.stage == Stage.FINAL_PASSED:
        trainee_path.catch_up(enrolment, actor)
    return certificate


def revoke_certificate(certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke with a reason (audited); the verify page says so from the next request on."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give the reason for revoking the certificate."))
    if certificate.revoked_at is not None:
        raise CertificateError(
            _("Certificate %(serial)s is already revoked.", serial=certificate.serial)
        )
    before = certificate_status(certificate, clock.today())
    certificate.revoked_at = clock.now()
    certificate.revoked_by_id = getattr(actor, "id", None)
    certificate.revocation_reason = reason
    db.session.flush()
    record(
        actor,
        "certificate.revoke",
        certificate,
        before={"status": before},
        after={"status": "revoked"},
        reason=reason,
    )
    return certificate


def recertify(enrolment: Enrolment, actor=None, *, basis: str | None = None) -> Certificate:
    """Issue a new certificate after a refresher pass; it supersedes the previous one.

    `basis` names the pass (the quiz passes `refresher:<attempt id>`); without it, one
    re-certification per day, so a double submit never issues twice.
    """
    if enrolment.stage != Stage.CERTIFIED:
        raise CertificateError(_("Only certified staff can be re-certified."))
    previous = latest_certificate(enrolment)
    basis = basis or f"recertification:{clock.today().isoformat()}"
    certificate = issue_certificate(enrolment, actor, basis=basis)
    if previous is not None and previous.id != certificate.id and previous.superseded_by_id is None:
        previous.superseded_by_id = certificate.id
        previous.superseded_at = clock.now()
        db.session.flush()
        record(
            actor,
            "certificate.supersede",
            previous,
            after={"superseded_by": certificate.serial},
        )
    return certificate


def on_refresher_passed(attempt, actor=None) -> Certificate | None:
    """A passed refresher exam renews the holder's certificate."""
    enrolment = current_enrolment(attempt.user)
    if enrolment is None or enrolment.stage != Stage.CERTIFIED:
        return None
    return recertify(enrolment, actor, basis=f"refresher:{attempt.id}")

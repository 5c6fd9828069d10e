"""Certificates (上岗证) and the per-year serial counter."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer import clock
from trainer.accounts.models import User
from trainer.db import Base, TimestampMixin
from trainer.training.models import Enrolment

# What a certificate was issued for: the first pass of the final exam, or a re-certification.
FIRST_CERTIFICATION = "final"


class Certificate(TimestampMixin, Base):
    """An issued 上岗资格证书.

    Holder, hall and programme are copied at issue time: the certificate is a document of
    what was true that day, and the verify page must not change when someone moves hall.
    `basis` names the pass it was issued for; the unique (enrolment, basis) pair is what
    makes issuance exactly-once even when two requests race.
    """

    __tablename__ = "certificate"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "basis"),
        UniqueConstraint("year", "sequence"),
        CheckConstraint("expires_on >= issued_on", name="expires_after_issue"),
        Index("ix_certificate_expires_on", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    basis: Mapped[str] = mapped_column(String(80), default=FIRST_CERTIFICATION)
    year: Mapped[int]
    sequence: Mapped[int]
    serial: Mapped[str] = mapped_column(String(20), unique=True)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)

    holder_name: Mapped[str] = mapped_column(String(80))
    employee_no: Mapped[str] = mapped_column(String(32))
    hall_name: Mapped[str | None] = mapped_column(String(120))
    programme_name: Mapped[str] = mapped_column(String(120))
    trainer_name: Mapped[str | None] = mapped_column(String(80))
    issued_on: Mapped[date]
    expires_on: Mapped[date]
    issued_at: Mapped[datetime] = mapped_column(default=clock.now)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    pdf_path: Mapped[str | None] = mapped_column(String(255))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_size: Mapped[int | None]
    # Why the PDF could not be produced yet (shown to trainers; cleared once it is stored).
    pdf_error: Mapped[str | None] = mapped_column(String(500))

    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    revocation_reason: Mapped[str | None] = mapped_column(String(1000))
    superseded_at: Mapped[datetime | None]
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate.id", ondelete="SET NULL")
    )

    enrolment: Mapped[Enrolment] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    superseded_by: Mapped["Certificate | None"] = relationship(remote_side=[id])

    @property
    def holder_anonymised(self) -> bool:
        """The holder left and was anonymised: pages say so instead of the pseudonym."""
        return self.user.anonymised_at is not None

    @property
    def is_current(self) -> bool:
        """Neither revoked nor replaced by a newer certificate (it may still have expired)."""
        return self.revoked_at is None and self.superseded_by_id is None

    def __repr__(self) -> str:
        return f"<Certificate {self.serial} {self.holder_name}>"


class CertificateSerial(Base):
    """The last serial number handed out per year; one row per year, bumped atomically."""

    __tablename__ = "certificate_serial"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class CertificateBatch(TimestampMixin, Base):
    """Bulk issuance for a cohort; background jobs count progress here for the trainer to see."""

    __tablename__ = "certificate_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    queued: Mapped[bool] = mapped_column(default=False)
    errors: Mapped[list] = mapped_column(default=list)

    @property
    def finished(self) -> bool:
        return self.done + self.failed >= self.total

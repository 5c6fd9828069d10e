"""The certificate register: filtered listing and CSV / XLSX export (one query per page)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from trainer import clock
from trainer.certificates.models import Certificate
from trainer.certificates.services import certificate_status
from trainer.extensions import db
from trainer.spreadsheets import csv_stream, xlsx_stream
from trainer.training.models import Enrolment

STATUSES = ("valid", "expired", "revoked", "expiring")
# (raw key, translated header); headers share the "export" context of the reports' exports.
EXPORT_COLUMNS = (
    ("serial", lazy_pgettext("export", "Serial number")),
    ("holder_name", lazy_pgettext("export", "Name")),
    ("employee_no", lazy_pgettext("export", "Employee number")),
    ("hall_name", lazy_pgettext("export", "Hall")),
    ("programme_name", lazy_pgettext("export", "Programme")),
    ("issued_on", lazy_pgettext("export", "Issued on")),
    ("expires_on", lazy_pgettext("export", "Expires on")),
    ("status", lazy_pgettext("export", "Status")),
    ("revocation_reason", lazy_pgettext("export", "Reason for revocation")),
)
STATUS_LABELS = {"valid": _l("Valid"), "expired": _l("Expired"), "revoked": _l("Revoked")}
PARTITION = 1000


@dataclass(frozen=True)
class RegisterFilter:
    q: str = ""
    status: str = ""
    cohort_id: int | None = None
    expiring_days: int = 60

    def apply(self, query: Select, today: date) -> Select:
        if self.q:
            like = f"%{self.q.strip()}%"
            query = query.where(
                or_(
                    Certificate.holder_name.ilike(like),
                    Certificate.employee_no.ilike(like),
                    Certificate.serial.ilike(like),
                    Certificate.hall_name.ilike(like),
                )
            )
        if self.cohort_id:
            query = query.join(Enrolment, Enrolment.id == Certificate.enrolment_id).where(
                Enrolment.cohort_id == self.cohort_id
            )
        current = (Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None))
        if self.status == "revoked":
            query = query.where(Certificate.revoked_at.is_not(None))
        elif self.status == "valid":
            query = query.where(*current, Certificate.expires_on >= today)
        elif self.status == "expired":
            query = query.where(
                Certificate.revoked_at.is_(None),
                or_(Certificate.superseded_by_id.is_not(None), Certificate.expires_on < today),
            )
        elif self.status == "expiring":
            query = query.where(
                *current,
                Certificate.expires_on >= today,
                Certificate.expires_on <= today + timedelta(days=self.expiring_days),
            )
        return query


def register_query(filters: RegisterFilter) -> Select:
    query = (
        select(Certificate)
        .options(selectinload(Certificate.user))  # who was anonymised (holder_anonymised)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )
    return filters.apply(query, clock.today())


def register_rows(filters: RegisterFilter, raw: bool = False) -> Iterator[list]:
    """The register's rows, read in partitions (one query, bounded memory)."""
    today = clock.today()
    columns = [getattr(Certificate, key) for key, _ in EXPORT_COLUMNS if key != "status"]
    extra = (Certificate.revoked_at, Certificate.superseded_by_id, Certificate.expires_on)
    query = filters.apply(
        select(*columns, *extra).order_by(Certificate.issued_at.desc(), Certificate.id.desc()),
        today,
    )
    result = db.session.execute(query.execution_options(yield_per=PARTITION))
    for part in result.partitions():
        for row in part:
            status = certificate_status(row, today)
            values = list(row[: len(columns)])
            values.insert(7, status if raw else str(STATUS_LABELS[status]))
            yield values


def export_header(raw: bool) -> list[str]:
    return [key if raw else str(title) for key, title in EXPORT_COLUMNS]


def export_csv(filters: RegisterFilter, raw: bool = False) -> Iterator[bytes]:
    """UTF-8 with BOM, so Excel on a Chinese Windows opens the names correctly; streamed."""
    return csv_stream(export_header(raw), register_rows(filters, raw))


def export_xlsx(filters: RegisterFilter, raw: bool = False) -> Iterator[bytes]:
    title = "certificates" if raw else str(lazy_pgettext("export", "Certificate register"))
    return xlsx_stream(title, export_header(raw), register_rows(filters, raw))

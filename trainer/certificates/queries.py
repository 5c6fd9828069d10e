"""The certificate register: filtered listing and CSV / XLSX export (one query per page)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from trainer import clock
from trainer.certificates.models import Certificate
from trainer.certificates.services import certificate_status
from trainer.extensions import db
from trainer.spreadsheets import csv_bytes, xlsx_bytes
from trainer.training.models import Enrolment

STATUSES = ("valid", "expired", "revoked", "expiring")
EXPORT_COLUMNS = (
    ("serial", "证书编号"),
    ("holder_name", "姓名"),
    ("employee_no", "工号"),
    ("hall_name", "营业厅"),
    ("programme_name", "培训项目"),
    ("issued_on", "发证日期"),
    ("expires_on", "有效期至"),
    ("status", "状态"),
    ("revocation_reason", "吊销原因"),
)
STATUS_LABELS_ZH = {"valid": "有效", "expired": "已过期", "revoked": "已吊销"}


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


def register_rows(filters: RegisterFilter) -> list[dict]:
    today = clock.today()
    rows = []
    for cert in db.session.scalars(register_query(filters)):
        row = {key: getattr(cert, key, None) for key, _ in EXPORT_COLUMNS if key != "status"}
        row["status"] = STATUS_LABELS_ZH[certificate_status(cert, today)]
        rows.append(row)
    return rows


def export_csv(filters: RegisterFilter) -> bytes:
    """UTF-8 with BOM, so Excel on a Chinese Windows opens the names correctly."""
    rows = register_rows(filters)
    return csv_bytes(
        [title for _, title in EXPORT_COLUMNS],
        ([row[k] for k, _ in EXPORT_COLUMNS] for row in rows),
    )


def export_xlsx(filters: RegisterFilter) -> bytes:
    rows = register_rows(filters)
    return xlsx_bytes(
        "证书登记",
        [title for _, title in EXPORT_COLUMNS],
        ([row[k] for k, _ in EXPORT_COLUMNS] for row in rows),
    )

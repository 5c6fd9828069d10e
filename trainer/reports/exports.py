"""Exports of results, attempts, drill findings, internship sign-offs and the certificate
register as CSV (UTF-8 with BOM, so Excel shows Chinese right) or XLSX (openpyxl)."""

from collections.abc import Callable, Iterable

from sqlalchemy import select

from trainer import clock
from trainer.certificates.models import Certificate
from trainer.certificates.services import certificate_status
from trainer.db import as_utc
from trainer.extensions import db
from trainer.internship.models import SignOff
from trainer.quizzes.models import Attempt, AttemptState
from trainer.reports.drill_facts import findings_export_rows
from trainer.reports.queries import cohort_dashboard
from trainer.spreadsheets import csv_bytes, xlsx_bytes
from trainer.training.models import Cohort, Enrolment

FORMATS = ("csv", "xlsx")


def _cell(value):
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):  # datetimes: UTC, no tz for Excel
        return as_utc(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and hasattr(value, "name"):  # enums
        return value.value
    return value


def to_csv(header: list[str], rows: Iterable[list]) -> bytes:
    return csv_bytes(header, ([_cell(v) for v in row] for row in rows))


def to_xlsx(title: str, header: list[str], rows: Iterable[list]) -> bytes:
    return xlsx_bytes(title, header, ([_cell(v) for v in row] for row in rows))


def _user_filter(cohort_id: int | None):
    if cohort_id is None:
        return None
    return select(Enrolment.user_id).where(Enrolment.cohort_id == cohort_id)


def results_rows(cohort_id: int | None):
    cohorts = (
        [db.session.get(Cohort, cohort_id)]
        if cohort_id
        else list(
            db.session.scalars(select(Cohort).order_by(Cohort.start_date, Cohort.id)).unique()
        )
    )
    header = [
        "employee_no",
        "name",
        "hall",
        "cohort",
        "stage",
        "pre_job_best",
        "pre_job_passed",
        "final_best",
        "final_passed",
        "attempts",
        "drills",
        "drill_mean",
        "internship_percent",
    ]
    rows = []
    for cohort in cohorts:
        if cohort is None:
            continue
        for r in cohort_dashboard(cohort).rows:
            rows.append(
                [
                    r.user.employee_no,
                    r.user.name,
                    r.user.hall.name if r.user.hall else "",
                    cohort.name,
                    r.enrolment.stage.value,
                    r.best.get("pre_job"),
                    "pre_job" in r.passed,
                    r.best.get("final"),
                    "final" in r.passed,
                    r.attempts,
                    r.drills,
                    round(r.drill_mean, 1) if r.drill_mean is not None else None,
                    r.progress.percent if r.progress else None,
                ]
            )
    return header, rows


def attempts_rows(cohort_id: int | None):
    header = [
        "attempt",
        "employee_no",
        "name",
        "quiz",
        "purpose",
        "number",
        "state",
        "started_at",
        "submitted_at",
        "score",
        "max_score",
        "percent",
        "passed",
        "auto_submitted",
    ]
    query = select(Attempt).where(Attempt.state != AttemptState.IN_PROGRESS)
    if (users := _user_filter(cohort_id)) is not None:
        query = query.where(Attempt.user_id.in_(users))
    rows = [
        [
            a.id,
            a.user.employee_no,
            a.user.name,
            a.quiz.title,
            a.quiz.purpose,
            a.number,
            a.state,
            a.started_at,
            a.submitted_at,
            a.score,
            a.max_score,
            a.percent,
            a.passed,
            a.auto_submitted,
        ]
        for a in db.session.scalars(query.order_by(Attempt.id)).unique()
    ]
    return header, rows


def drill_findings_rows(cohort_id: int | None):
    header = [
        "session",
        "employee_no",
        "name",
        "scenario",
        "title",
        "version",
        "turn",
        "finding",
        "item",
        "matched",
        "alternative",
        "reply",
        "points",
        "max_points",
    ]
    user_ids = None
    if (users := _user_filter(cohort_id)) is not None:
        user_ids = list(db.session.scalars(users))
    return header, [[row[k] for k in header] for row in findings_export_rows(user_ids)]


def sign_offs_rows(cohort_id: int | None):
    header = [
        "sign_off",
        "employee_no",
        "name",
        "task",
        "observed_on",
        "mentor",
        "rating",
        "grade",
        "comment",
        "signed_at",
        "withdrawn_at",
        "withdrawal_reason",
        "countersigned_at",
    ]
    query = select(SignOff, Enrolment).join(Enrolment, SignOff.enrolment_id == Enrolment.id)
    if cohort_id is not None:
        query = query.where(Enrolment.cohort_id == cohort_id)
    rows = [
        [
            s.id,
            e.user.employee_no,
            e.user.name,
            s.task.title,
            s.observed_on,
            s.mentor.name,
            s.rating,
            s.grade,
            s.comment,
            s.signed_at,
            s.withdrawn_at,
            s.withdrawal_reason,
            s.countersigned_at,
        ]
        for s, e in db.session.execute(query.order_by(SignOff.id)).unique()
    ]
    return header, rows


def certificates_rows(cohort_id: int | None):
    """The certificate register; the verification code stays out (it proves possession)."""
    header = [
        "serial",
        "employee_no",
        "name",
        "hall",
        "programme",
        "issued_on",
        "expires_on",
        "status",
        "superseded",
        "revoked_at",
        "revocation_reason",
    ]
    query = select(Certificate)
    if cohort_id is not None:
        query = query.join(Enrolment, Certificate.enrolment_id == Enrolment.id).where(
            Enrolment.cohort_id == cohort_id
        )
    today = clock.today()
    rows = [
        [
            c.serial,
            c.employee_no,
            c.holder_name,
            c.hall_name,
            c.programme_name,
            c.issued_on,
            c.expires_on,
            certificate_status(c, today),
            c.superseded_by_id is not None,
            c.revoked_at,
            c.revocation_reason,
        ]
        for c in db.session.scalars(query.order_by(Certificate.year, Certificate.sequence))
    ]
    return header, rows


DATASETS: dict[str, Callable] = {
    "results": results_rows,
    "attempts": attempts_rows,
    "drill_findings": drill_findings_rows,
    "sign_offs": sign_offs_rows,
    "certificates": certificates_rows,
}


def export_dataset(name: str, fmt: str, cohort_id: int | None = None) -> bytes:
    if name not in DATASETS:
        raise KeyError(name)
    if fmt not in FORMATS:
        raise ValueError(f"format: {fmt} is not one of {', '.join(FORMATS)}")
    header, rows = DATASETS[name](cohort_id)
    return to_csv(header, rows) if fmt == "csv" else to_xlsx(name, header, rows)

"""Everything about one person as a zip: `personal-data.json` and their certificate PDFs.

Rows are found through the schema (catalogue.py), each with the columns that tie it to the
person (`_links`), so a reader sees in which capacity it concerns them (their own attempt, a
sign-off they gave as `mentor_id`, …). Audit entries by them or about any of their rows come
too. Secrets (password hash, session tokens) are left out.
"""

import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import Table, select

from trainer import clock
from trainer.accounts.models import User
from trainer.audit.models import AuditEntry
from trainer.certificates.documents import CertificateFileError, download_name, read_pdf
from trainer.certificates.models import Certificate
from trainer.extensions import db
from trainer.privacy.catalogue import SECRET_COLUMNS, SECTIONS, Link, child_links, user_links

FORMAT = "trainer-personal-data/1"
CHUNK = 500  # ids per IN (...) list


@dataclass
class Found:
    """The rows of one person, per table: {primary key: (row, the links that found it)}."""

    rows: dict[str, dict[tuple, tuple[dict, list[str]]]] = field(
        default_factory=lambda: defaultdict(dict)
    )

    def add(self, table: Table, row: dict, link: str) -> bool:
        """Record `row`; True when it is new."""
        key = tuple(row[c.name] for c in table.primary_key.columns)
        known = self.rows[table.name].get(key)
        if known is not None:
            if link not in known[1]:
                known[1].append(link)
            return False
        self.rows[table.name][key] = (row, [link])
        return True

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in sorted(self.rows.items()) if rows}


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def collect(user_id: int) -> Found:
    """Every row about the person: through the user columns, then down their own rows."""
    metadata = db.metadata
    found = Found()
    pending: list[tuple[Link, list]] = [(link, [user_id]) for link in user_links(metadata)]
    expanded: set[tuple[str, str, object]] = set()  # (child table, column, value)
    while pending:
        link, values = pending.pop()
        table, new_rows = link.table, []
        for chunk in _chunks(values):
            query = select(table).where(table.c[link.column].in_(chunk))
            for row in db.session.execute(query).mappings():
                row = dict(row)
                found.add(table, row, link.label)
                new_rows.append(row)
        if not link.owns:
            continue
        for child in child_links(metadata, table.name):
            keys = {row[child.parent_column] for row in new_rows}
            fresh = [v for v in keys if (child.table.name, child.column, v) not in expanded]
            expanded.update((child.table.name, child.column, v) for v in fresh)
            if fresh:
                pending.append((child, sorted(fresh)))
    _collect_audit_about(found, user_id)
    return found


def _collect_audit_about(found: Found, user_id: int) -> None:
    """Audit entries whose target is the person or one of the rows found."""
    audit = AuditEntry.__table__
    targets = {"user": [str(user_id)]}
    for name, rows in found.rows.items():
        if name != "audit_entry":
            targets[name] = [str(key[0]) for key in rows if len(key) == 1]
    for target_type, ids in targets.items():
        for chunk in _chunks(ids):
            query = select(audit).where(
                audit.c.target_type == target_type, audit.c.target_id.in_(chunk)
            )
            for row in db.session.execute(query).mappings():
                found.add(audit, dict(row), "target")


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return None
    return value


def _row(row: dict, links: list[str]) -> dict:
    plain = {k: _plain(v) for k, v in row.items() if k not in SECRET_COLUMNS}
    return {**plain, "_links": links}


def person_summary(user: User) -> dict:
    return {
        "id": user.id,
        "employee_no": user.employee_no,
        "name": user.name,
        "email": user.email,
        "phone": user.phone,
        "active": user.active,
        "locale": user.locale,
        "roles": sorted(str(role) for role in user.roles),
        "hall": {"code": user.hall.code, "name": user.hall.name} if user.hall else None,
        "created_at": _plain(user.created_at),
        "anonymised_at": _plain(user.anonymised_at),
    }


LABEL_COLUMNS = ("title", "name", "key", "code")


def references(found: Found) -> dict[str, dict[str, str]]:
    """Titles of the content the rows point at (quizzes, tasks, scenarios, halls …), so the
    document reads without the database: {table: {id: title}}."""
    wanted: dict[str, set] = defaultdict(set)
    for name, rows in found.rows.items():
        table = db.metadata.tables[name]
        for fk in table.foreign_keys:
            target = fk.column.table
            if target.name in found.rows or target.name == "user":
                continue
            if "id" in target.c and any(c in target.c for c in LABEL_COLUMNS):
                wanted[target.name] |= {
                    row[fk.parent.name] for row, _ in rows.values() if row[fk.parent.name]
                }
    labels: dict[str, dict[str, str]] = {}
    for name, ids in sorted(wanted.items()):
        table = db.metadata.tables[name]
        column = next(table.c[c] for c in LABEL_COLUMNS if c in table.c)
        query = select(table.c.id, column).where(table.c.id.in_(sorted(ids)))
        labels[name] = {str(row[0]): row[1] for row in db.session.execute(query)}
    return labels


def export_document(user: User, found: Found) -> dict:
    tables = {
        name: {
            "section": SECTIONS.get(name, "other"),
            "rows": [_row(row, links) for row, links in rows.values()],
        }
        for name, rows in sorted(found.rows.items())
        if rows
    }
    return {
        "format": FORMAT,
        "exported_at": clock.now().isoformat(),
        "person": person_summary(user),
        "tables": tables,
        "references": references(found),
    }


def build_zip(user: User) -> tuple[bytes, dict]:
    """The zip archive and a summary (row counts per table, files) for the audit log."""
    found = collect(user.id)
    document = export_document(user, found)
    certificate_ids = [key[0] for key in found.rows.get("certificate", {})]
    files, problems = {}, []
    for certificate in db.session.scalars(
        select(Certificate).where(
            Certificate.id.in_(certificate_ids), Certificate.user_id == user.id
        )
    ):
        try:
            files[f"certificates/{download_name(certificate)}"] = read_pdf(certificate)
        except CertificateFileError as exc:
            problems.append({"serial": certificate.serial, "problem": str(exc)})
    document["files"] = sorted(files)
    document["file_problems"] = problems
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "personal-data.json", json.dumps(document, ensure_ascii=False, indent=2, default=str)
        )
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue(), {"tables": found.counts(), "files": len(files)}

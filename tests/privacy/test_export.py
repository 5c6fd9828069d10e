"""Exporting everything about one person: a zip with the JSON document and their PDFs."""

import io
import json
import zipfile

from sqlalchemy import select

from trainer.audit.models import AuditEntry
from trainer.extensions import db
from trainer.privacy.services import export_person


def open_export(data: bytes) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return json.loads(archive.read("personal-data.json")), archive


def test_a_certified_trainees_export_holds_their_record_and_certificate(person):
    trainee = person("E0020")
    document, archive = open_export(export_person(None, trainee))
    assert document["person"]["employee_no"] == "E0020"
    assert document["person"]["name"] == trainee.name
    tables = document["tables"]
    for name in ("enrolment", "stage_change", "attempt", "response", "placement",
                 "internship_sign_off", "certificate", "page_study", "audit_entry"):  # fmt: skip
        assert tables[name]["rows"], name
    serial = tables["certificate"]["rows"][0]["serial"]
    assert archive.read(f"certificates/{serial}.pdf").startswith(b"%PDF")
    assert document["files"] == [f"certificates/{serial}.pdf"]


def test_the_content_rows_point_at_is_named(person):
    document, _ = open_export(export_person(None, person("E0020")))
    tasks = document["references"]["internship_task"]
    for row in document["tables"]["internship_sign_off"]["rows"]:
        assert tasks[str(row["task_id"])]  # the task's title
    assert document["references"]["quiz"]


def test_the_export_says_how_each_row_concerns_the_person(person):
    mentor = person("M0001")
    document, _ = open_export(export_person(None, mentor))
    sign_offs = document["tables"]["internship_sign_off"]["rows"]
    assert any("mentor_id" in row["_links"] for row in sign_offs)
    for row in sign_offs:  # as mentor, duty manager or countersigner: the link names it
        assert row["_links"] and all(row[link] == mentor.id for link in row["_links"])
    # the mentees' own practice logs are theirs, not the mentor's
    assert "internship_log_entry" not in document["tables"]


def test_no_secrets_are_exported(person):
    data = export_person(None, person("E0020"))
    document, _ = open_export(data)
    assert "password_hash" not in json.dumps(document)
    assert "session_token" not in json.dumps(document)


def test_the_export_is_audited_without_the_name(person):
    trainee = person("E0020")
    export_person(None, trainee)
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.export"))
    assert entry.target_type == "user" and entry.target_id == str(trainee.id)
    assert entry.after["files"] == 1 and entry.after["tables"]["certificate"] == 1
    assert trainee.name not in json.dumps(entry.after, ensure_ascii=False)

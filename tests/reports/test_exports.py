"""Exports: set-based (statement counts flat as the data grows), streamed, in the reader's
language with a raw variant, and big ones as a background job with a download."""

import csv
import io
import threading
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from trainer import clock
from trainer.accounts.services import create_hall
from trainer.certificates.queries import RegisterFilter, export_xlsx
from trainer.certificates.services import issue_certificate
from trainer.internship.models import Grade
from trainer.internship.services import new_idempotency_token, sign_off_task
from trainer.permissions import Role
from trainer.quizzes.models import Purpose
from trainer.reports.exports import DATASETS, export_dataset
from trainer.reports.models import ExportJob


@pytest.fixture
def cohort_data(db, make_user, make_cohort, make_enrolment, make_quiz, make_attempt, place, play):
    """`grow(n)` adds n trainees to one cohort, each with two graded attempts, a drill, an
    internship sign-off and a certificate (all made through the services)."""
    mentor = make_user(Role.MENTOR, name="带教师傅")
    mentor.hall = create_hall(None, code="H1", name="一号营业厅")
    cohort = make_cohort(start_date=clock.today() - timedelta(days=20))
    exam = make_quiz([("q1", "norms", None, 1.0), ("q2", "phrases", None, 1.0)], title="岗前考试")
    final = make_quiz([("f1", "norms", None, 1.0)], purpose=Purpose.FINAL, title="结业考试")

    def grow(n: int):
        for _ in range(n):
            enrolment = make_enrolment(trainee=make_user(Role.TRAINEE), cohort=cohort)
            make_attempt(enrolment.user, exam, [1, 0])
            make_attempt(enrolment.user, final, [1])
            placement = place(enrolment, mentor, start_date=clock.today() - timedelta(days=5))
            task = placement.plan.tasks[0]
            sign_off_task(
                mentor,
                placement,
                task,
                observed_on=clock.today(),
                observed_items={0},
                rating=4,
                grade=Grade.PASS,
                comment="动作规范",
                idempotency_token=new_idempotency_token(),
            )
            play(enrolment.user, text="不知道")
            issue_certificate(enrolment)
            db.session.commit()
        return cohort

    return grow


class StatementCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def statements(db, name: str, fmt: str = "csv") -> int:
    db.session.expire_all()
    with StatementCounter(db.engine) as counter:
        export_dataset(name, fmt)
    return counter.count


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_an_export_runs_the_same_statements_for_two_or_six_trainees(db, cohort_data, name):
    cohort_data(2)
    small = statements(db, name)
    cohort_data(4)
    assert statements(db, name) == small


@pytest.mark.locale("zh_CN")
def test_exports_speak_chinese_by_default(db, cohort_data):
    cohort_data(1)
    rows = list(csv.reader(io.StringIO(export_dataset("results", "csv").decode("utf-8-sig"))))
    assert rows[0][:2] == ["工号", "姓名"]
    assert rows[0][6] == "岗前考试是否通过"
    assert rows[1][6] in ("是", "否") and "True" not in rows[1]
    sign_offs = export_dataset("sign_offs", "csv").decode("utf-8-sig")
    assert "带教师傅" in sign_offs and "合格" in sign_offs and "pass" not in sign_offs


def test_exports_use_english_for_an_english_reader(db, cohort_data):
    cohort_data(1)
    rows = list(csv.reader(io.StringIO(export_dataset("attempts", "csv").decode("utf-8-sig"))))
    assert rows[0][1:3] == ["Employee number", "Name"]
    assert {r[4] for r in rows[1:]} == {"Pre-job exam", "Final exam"}
    assert rows[1][12] in ("Yes", "No")


@pytest.mark.locale("zh_CN")
def test_the_raw_variant_keeps_codes_whatever_the_language(db, cohort_data):
    cohort_data(1)
    text = export_dataset("attempts", "csv", raw=True).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["purpose"] for r in rows} == {"pre_job", "final"}
    assert {r["passed"] for r in rows} <= {"True", "False"}
    sheet = load_workbook(io.BytesIO(export_dataset("sign_offs", "xlsx", raw=True))).active
    assert sheet.title == "sign_offs" and sheet["A1"].value == "sign_off"
    assert sheet["H2"].value == "pass"


def test_a_page_export_is_streamed(client, login_as, make_user, cohort_data):
    cohort = cohort_data(2)
    login_as(make_user(Role.TRAINER))
    response = client.get(f"/reports/export/attempts.csv?cohort={cohort.id}")
    assert response.is_streamed
    body = response.get_data().decode("utf-8-sig")
    assert body.count("岗前考试") == 2
    xlsx = client.get("/reports/export/results.xlsx?raw=1")
    assert xlsx.is_streamed
    assert "raw" in xlsx.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(xlsx.get_data())).active.max_row == 3


def wait_for_export_threads() -> None:
    for thread in threading.enumerate():
        if thread.name.startswith("export-"):
            thread.join(60)


def test_a_big_export_runs_as_a_job_with_a_progress_page_and_a_download(
    app, db, client, login_as, make_user, cohort_data, monkeypatch
):
    cohort_data(3)
    monkeypatch.setitem(app.config, "EXPORT_INLINE_ROWS", 2)
    trainer = login_as(make_user(Role.TRAINER))
    offer = client.get("/reports/export/sign_offs.xlsx")
    assert offer.status_code == 200 and 'data-testid="export-start"' in offer.get_data(True)
    started = client.post("/reports/export/sign_offs.xlsx")
    assert started.status_code == 302
    wait_for_export_threads()
    db.session.expire_all()
    job = db.session.query(ExportJob).one()
    assert (job.status, job.done, job.requested_by_id) == ("done", 3, trainer.id)
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="export-download"' in page
    with client.get(f"/reports/exports/{job.id}/download") as download:
        sheet = load_workbook(io.BytesIO(download.get_data())).active
    assert sheet.max_row == 4 and sheet["B1"].value == "Employee number"


def test_someone_elses_export_is_not_found(app, db, client, login_as, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_INLINE_ROWS", -1)
    login_as(make_user(Role.TRAINER))
    client.post("/reports/export/attempts.csv")
    wait_for_export_threads()
    job = db.session.query(ExportJob).one()
    client.post("/logout")
    login_as(make_user(Role.TRAINER))
    assert client.get(f"/reports/exports/{job.id}").status_code == 404
    assert client.get(f"/reports/exports/{job.id}/download").status_code == 404


def test_mentors_cannot_start_an_export(client, login_as, make_user):
    login_as(make_user(Role.MENTOR))
    assert client.post("/reports/export/results.csv").status_code == 403


@pytest.mark.locale("zh_CN")
def test_the_export_command_writes_raw_codes_on_request(runner, cohort_data, tmp_path):
    cohort_data(1)
    out = tmp_path / "attempts.csv"
    result = runner.invoke(args=["reports", "export", "attempts", "--raw", "--out", str(out)])
    assert result.exit_code == 0, result.output
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("attempt,employee_no,name,quiz,purpose")


def test_the_certificate_register_export_runs_the_same_statements_as_it_grows(db, cohort_data):
    def register_statements() -> int:
        db.session.expire_all()
        with StatementCounter(db.engine) as counter:
            b"".join(export_xlsx(RegisterFilter()))
        return counter.count

    cohort_data(2)
    small = register_statements()
    cohort_data(3)
    assert register_statements() == small

"""The cohort dashboard's numbers and page, and the exports."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from trainer import clock
from trainer.certificates.services import issue_certificate, revoke_certificate
from trainer.coaching.services import open_record
from trainer.permissions import Role
from trainer.quizzes.models import Purpose
from trainer.reports.exports import export_dataset
from trainer.reports.queries import cohort_dashboard, funnel_counts
from trainer.training.stages import PATH, Stage


def test_the_funnel_counts_everyone_who_reached_a_stage():
    counts = dict(funnel_counts([Stage.ENROLLED, Stage.INTERNING, Stage.CERTIFIED]))
    assert [counts[s] for s in PATH] == [3, 2, 2, 2, 1, 1, 1]


@pytest.fixture
def cohort_with_results(
    db, make_user, make_cohort, make_enrolment, make_quiz, make_attempt, mentor, place, play
):
    trainer = make_user(Role.TRAINER)
    cohort = make_cohort(trainer=trainer, start_date=clock.today() - timedelta(days=20))
    enrolments = [
        make_enrolment(trainee=make_user(Role.TRAINEE, name=name), cohort=cohort)
        for name in ("王小明", "赵小红", "钱小刚")
    ]
    exam = make_quiz(
        [("q1", "norms", None, 1.0), ("q2", "phrases", None, 1.0)],
        purpose=Purpose.PRE_JOB,
        pass_percent=60,
        title="岗前考试",
    )
    make_attempt(enrolments[0].user, exam, [1, 1])  # passes first time
    make_attempt(enrolments[1].user, exam, [0, 0])  # fails, then passes
    make_attempt(enrolments[1].user, exam, [1, 1])
    make_attempt(enrolments[2].user, exam, [1, 0], submitted_at=clock.now() - timedelta(days=8))
    place(enrolments[0], mentor, start_date=clock.today() - timedelta(days=10))
    play(enrolments[1].user, text="不知道")
    record = open_record(
        trainer,
        enrolments[2].user,
        agreed_actions="复习服务用语",
        held_on=clock.today() - timedelta(days=5),
        follow_up_on=clock.today() - timedelta(days=1),
    )
    db.session.commit()
    return cohort, enrolments, exam, record


def test_pass_rates_count_trainees_not_attempts(cohort_with_results):
    cohort, _, _, _ = cohort_with_results
    exam = cohort_dashboard(cohort).exams[0]
    assert (exam.trainees, exam.passed, exam.first_passed) == (3, 2, 1)
    assert sorted(exam.scores) == [0, 50, 100, 100]


def test_rows_carry_best_scores_drills_and_internship_progress(cohort_with_results):
    cohort, enrolments, _, _ = cohort_with_results
    rows = {r.user.id: r for r in cohort_dashboard(cohort).rows}
    assert rows[enrolments[1].user.id].best["pre_job"] == 100
    assert rows[enrolments[1].user.id].drills == 1
    assert rows[enrolments[0].user.id].progress is not None
    assert rows[enrolments[2].user.id].progress is None


def test_overdue_lists_a_coaching_follow_up_past_its_date(cohort_with_results):
    cohort, enrolments, _, record = cohort_with_results
    overdue = cohort_dashboard(cohort).overdue
    assert [(o.kind, o.trainee.id) for o in overdue if o.kind == "coaching_follow_up"] == [
        ("coaching_follow_up", enrolments[2].user.id)
    ]


def test_the_trend_has_a_point_for_each_week_with_results(cohort_with_results):
    cohort, _, _, _ = cohort_with_results
    trend = cohort_dashboard(cohort).trend
    assert len(trend) >= 3
    assert trend[-1][1] is not None  # this week's quiz mean
    assert any(point[2] is not None for point in trend)  # a drill was played


def test_the_dashboard_page_draws_every_chart_with_its_table(client, login_as, cohort_with_results):
    cohort, _, _, _ = cohort_with_results
    login_as(cohort.trainer)
    body = client.get(f"/reports/cohorts/{cohort.id}").get_data(as_text=True)
    for chart_id in (
        "chart-funnel",
        "chart-pass-rates",
        "chart-internship",
        "chart-trend-quiz",
        "chart-trend-drill",
    ):
        assert f'data-testid="{chart_id}-table"' in body, chart_id
    assert body.count('role="img"') >= 6  # plus one histogram per exam
    assert "王小明" in body and "复习服务用语" in body


def test_results_csv_has_a_bom_and_chinese_intact(cohort_with_results):
    cohort, _, _, _ = cohort_with_results
    data = export_dataset("results", "csv", cohort_id=cohort.id, raw=True)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r["name"] for r in rows} == {"王小明", "赵小红", "钱小刚"}
    assert {r["pre_job_passed"] for r in rows} == {"True", "False"}


@pytest.mark.parametrize("dataset", ["results", "attempts", "drill_findings", "sign_offs"])
def test_every_export_opens_as_a_workbook(cohort_with_results, dataset):
    data = export_dataset(dataset, "xlsx", raw=True)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == dataset
    assert sheet.max_row >= 1


def test_drill_findings_export_names_the_forbidden_phrase_and_what_to_say(cohort_with_results):
    data = export_dataset("drill_findings", "csv", raw=True).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    forbidden = [r for r in rows if r["finding"] == "forbidden"]
    assert forbidden and forbidden[0]["item"] == "不知道"
    assert forbidden[0]["alternative"] == "请稍等，我帮您查询一下。"


def test_attempts_export_downloads_from_the_page(client, login_as, cohort_with_results):
    cohort, _, _, _ = cohort_with_results
    login_as(cohort.trainer)
    response = client.get(f"/reports/export/attempts.csv?cohort={cohort.id}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.decode("utf-8-sig").count("岗前考试") == 4


def test_an_unknown_export_is_not_found(client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    assert client.get("/reports/export/passwords.csv").status_code == 404


def test_the_certificate_register_exports_status_but_not_the_verification_code(
    db, make_enrolment, make_user
):

    kept, revoked = make_enrolment(), make_enrolment()
    first = issue_certificate(kept)
    second = issue_certificate(revoked)
    revoke_certificate(second, make_user(Role.TRAINER), "冒名顶替")
    db.session.commit()
    data = export_dataset("certificates", "csv", raw=True).decode("utf-8-sig")
    rows = {r["serial"]: r for r in csv.DictReader(io.StringIO(data))}
    assert rows[first.serial]["status"] == "valid" and rows[second.serial]["status"] == "revoked"
    assert rows[second.serial]["revocation_reason"] == "冒名顶替"
    assert first.verification_code not in data
    sheet = load_workbook(io.BytesIO(export_dataset("certificates", "xlsx"))).active
    assert sheet.max_row == 3


def test_overdue_lists_internship_tasks_past_their_week(cohort_with_results):
    cohort, enrolments, _, _ = cohort_with_results
    overdue = [o for o in cohort_dashboard(cohort).overdue if o.kind == "internship_task"]
    assert {o.what for o in overdue} == {"站立迎客", "独立办理开户"}
    assert {o.trainee.id for o in overdue} == {enrolments[0].user.id}


def test_the_export_command_writes_the_file(runner, cohort_with_results, tmp_path):
    cohort, _, _, _ = cohort_with_results
    out = tmp_path / "results.xlsx"
    result = runner.invoke(
        args=[
            "reports",
            "export",
            "results",
            "--format",
            "xlsx",
            "--cohort",
            str(cohort.id),
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    names = {row[1].value for row in load_workbook(out).active.iter_rows(min_row=2)}
    assert names == {"王小明", "赵小红", "钱小刚"}

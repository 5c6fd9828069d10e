"""Pages and commands: placement, the trainee's log, double taps, plan editing, CSRF, CLI."""

from datetime import timedelta

import pytest
import yaml
from sqlalchemy import func, select

from tests.internship.conftest import PLAN_YAML
from trainer import clock
from trainer.auth.services import start_session
from trainer.internship.models import LogEntry, Placement, SignOff
from trainer.internship.plan_files import PLANS_DIR
from trainer.jobs.runner import run_job
from trainer.permissions import Role
from trainer.training.stages import Stage


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_trainer_places_a_trainee_through_the_form(
    client, login_as, make_user, make_hall, make_enrolment, plan, db
):
    hall = make_hall()
    mentor = make_user(Role.MENTOR, hall=hall)
    enrolment = make_enrolment()
    enrolment.stage = Stage.PRE_JOB_PASSED
    db.session.commit()
    login_as(make_user(Role.TRAINER))
    response = client.post(
        f"/internship/enrolments/{enrolment.id}/placement",
        data={
            "hall_id": hall.id,
            "mentor_id": mentor.id,
            "duty_manager_id": 0,
            "plan_id": plan.id,
            "start_date": clock.today().isoformat(),
        },
    )
    assert response.status_code == 302
    placement = db.session.scalars(select(Placement)).one()
    assert (placement.mentor_id, enrolment.stage) == (mentor.id, Stage.INTERNING)


def test_the_placement_form_lists_the_trainee_and_mentors(
    client, login_as, make_user, make_enrolment, plan
):
    mentor = make_user(Role.MENTOR, name="张师傅")
    enrolment = make_enrolment()
    login_as(make_user(Role.TRAINER))
    body = client.get(f"/internship/enrolments/{enrolment.id}/placement").get_data(as_text=True)
    assert mentor.name in body and plan.title in body


def test_a_double_tap_on_sign_off_records_one(client, login_as, make_placement, task, db):
    placement = make_placement()
    login_as(placement.mentor)
    data = {
        "observed_on": clock.today().isoformat(),
        "items": ["0"],
        "rating": "5",
        "grade": "excellent",
        "comment": "",
        "token": "one-tap-token",
    }
    url = f"/internship/mentees/{placement.enrolment_id}/tasks/{task('greet_customers').id}"
    assert [client.post(url, data=data).status_code for _ in range(2)] == [302, 302]
    assert count(db, SignOff) == 1


@pytest.mark.locale("zh_CN")
def test_the_sign_off_grades_speak_the_mentors_language(client, login_as, make_placement, task):
    placement = make_placement()
    login_as(placement.mentor)
    url = f"/internship/mentees/{placement.enrolment_id}/tasks/{task('greet_customers').id}"
    page = client.get(url).get_data(as_text=True)
    for label in ("不合格", "合格", "优秀", "总体评定"):
        assert label in page
    assert "Excellent" not in page


def test_a_refused_sign_off_explains_why(client, login_as, make_placement, task):
    placement = make_placement()
    login_as(placement.mentor)
    url = f"/internship/mentees/{placement.enrolment_id}/tasks/{task('greet_customers').id}"
    response = client.post(
        url,
        data={
            "observed_on": (clock.today() + timedelta(days=2)).isoformat(),
            "items": ["0"],
            "rating": "4",
            "grade": "pass",
            "token": "t1",
        },
    )
    assert response.status_code == 422
    assert "future" in response.get_data(as_text=True)


def test_the_trainee_logs_practice_and_sees_the_mentors_comment(
    client, login_as, make_placement, task, db
):
    placement = make_placement()
    login_as(placement.enrolment.user)
    response = client.post(
        "/internship/my",
        data={
            "day": clock.today().isoformat(),
            "task_id": task("observe_open_account").id,
            "what_happened": "师傅办理开户时我负责读卡",
            "reflection": "要先问是否本人使用",
        },
    )
    assert response.status_code == 302
    entry = db.session.scalars(select(LogEntry)).one()
    client.post("/logout")
    login_as(placement.mentor)
    client.post(f"/internship/log/{entry.id}/comments", data={"body": "下次你来说开场白"})
    client.post("/logout")
    login_as(placement.enrolment.user)
    assert "下次你来说开场白" in client.get("/internship/my").get_data(as_text=True)


def test_the_trainee_sees_sign_offs_on_the_dashboard(client, login_as, make_placement, sign, task):
    placement = make_placement()
    sign(placement, task("observe_open_account"))
    login_as(placement.enrolment.user)
    body = client.get("/").get_data(as_text=True)
    assert 'data-testid="latest-sign-offs"' in body and "观摩开户" in body


def test_after_the_days_the_job_completes_the_internship_and_the_dashboard_shows_it(
    client, login_as, make_placement, sign_everything_required, db
):
    placement = make_placement()
    sign_everything_required(placement)
    login_as(placement.enrolment.user)
    with clock.travel(days=30):
        client.get("/")
        assert placement.enrolment.stage is Stage.INTERNING  # a page view changes nothing
        assert run_job("internship.catch_up").summary == "1 trainees completed the internship"
        body = client.get("/").get_data(as_text=True)
    db.session.refresh(placement.enrolment)
    assert placement.enrolment.stage is Stage.INTERNSHIP_COMPLETE
    assert 'data-testid="final-exam-next"' in body


def test_a_plan_with_problems_is_shown_with_its_lines_and_not_saved(
    client, login_as, make_user, plan
):
    login_as(make_user(Role.TRAINER))
    broken = PLAN_YAML.replace("        observations: 2", "        observations: many")
    response = client.post(f"/internship/plans/{plan.id}", data={"source": broken})
    assert response.status_code == 422
    assert "line 15" in response.get_data(as_text=True)


def test_a_trainer_edits_a_plan_in_the_browser(client, login_as, make_user, plan, task, db):
    login_as(make_user(Role.TRAINER))
    edited = PLAN_YAML.replace("        observations: 2", "        observations: 3")
    assert client.post(f"/internship/plans/{plan.id}", data={"source": edited}).status_code == 302
    db.session.refresh(task("greet_customers"))
    assert task("greet_customers").observations_needed == 3


def test_sign_off_needs_a_csrf_token(make_placement, task, csrf_client, db):
    placement = make_placement()
    token = start_session(placement.mentor, address=None, user_agent=None)
    db.session.commit()
    with csrf_client as client:
        # Log in without the login form (which also needs a token).
        with client.session_transaction() as session:
            session["_user_id"] = placement.mentor.get_id()
            session["_fresh"] = True
            session["sid"], session["seen"] = token, int(clock.now().timestamp())
        url = f"/internship/mentees/{placement.enrolment_id}/tasks/{task('greet_customers').id}"
        response = client.post(
            url,
            data={
                "observed_on": clock.today().isoformat(),
                "items": ["0"],
                "rating": "4",
                "grade": "pass",
                "token": "t",
            },
        )
    assert response.status_code == 400


def test_the_overdue_command_lists_tasks_per_mentor(runner, make_placement):
    placement = make_placement()
    with clock.travel(days=9):
        result = runner.invoke(args=["internship", "overdue"])
    assert placement.mentor.employee_no in result.output
    assert "观摩开户" in result.output and "站立迎客" in result.output


@pytest.mark.locale("zh_CN")
def test_the_overdue_command_logs_reminders_without_a_mail_server(runner, make_placement, caplog):
    make_placement()
    with clock.travel(days=9):
        result = runner.invoke(args=["internship", "overdue", "--notify"])
    assert "reminder logged" in result.output
    assert "带教任务已逾期" in caplog.text


def test_the_catch_up_command_completes_internships_whose_days_have_passed(
    runner, make_placement, sign_everything_required
):
    placement = make_placement()
    sign_everything_required(placement)
    with clock.travel(days=31):
        result = runner.invoke(args=["internship", "catch-up"])
    assert result.output.startswith("1 trainees completed")
    assert placement.enrolment.stage is Stage.INTERNSHIP_COMPLETE


@pytest.mark.parametrize(
    "path", ["/internship/", "/internship/overdue", "/internship/plans", "/internship/plans/new"]
)
def test_trainer_pages_render(client, login_as, make_user, make_placement, path):
    make_placement()
    login_as(make_user(Role.TRAINER))
    assert client.get(path).status_code == 200


def test_a_double_submitted_log_entry_and_comment_are_kept_once(
    client, login_as, make_placement, db
):
    placement = make_placement()
    login_as(placement.enrolment.user)
    data = {"day": clock.today().isoformat(), "task_id": 0, "what_happened": "跟岗观摩缴费"}
    for _ in range(2):
        client.post("/internship/my", data=data)
    entry = db.session.scalars(select(LogEntry)).one()
    client.post("/logout")
    login_as(placement.mentor)
    for _ in range(2):
        client.post(f"/internship/log/{entry.id}/comments", data={"body": "很好"})
    db.session.refresh(entry)
    assert len(entry.comments) == 1


def test_the_cli_reports_valid_plans(runner):
    result = runner.invoke(args=["internship", "validate"])
    assert result.exit_code == 0
    plan = yaml.safe_load((PLANS_DIR / "window-staff-30d.yaml").read_text(encoding="utf-8"))
    tasks = [task for week in plan["weeks"] for task in week["tasks"]]
    required = sum(task.get("required", True) for task in tasks)
    summary = f"(window-staff-30d, {len(tasks)} tasks, {required} required)"
    assert f"window-staff-30d.yaml: ok {summary}" in result.output

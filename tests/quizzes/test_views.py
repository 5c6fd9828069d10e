"""Routes: no answer leakage, autosave JSON, idempotent submit, timer, review, trainer pages."""

import io
import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tests.quizzes.conftest import SECRETS
from tests.quizzes.test_attempts import answer_everything
from trainer import clock
from trainer.content.loading import load_library
from trainer.jobs.runner import run_job
from trainer.permissions import Role
from trainer.quizzes.availability import unavailable_reasons
from trainer.quizzes.models import Attempt, AttemptState, Purpose, Question, Quiz, Response
from trainer.quizzes.services import load_responses
from trainer.training.services import current_enrolment
from trainer.training.stages import Stage


@pytest.fixture
def started(db, make_quiz, trainee_in_training, client, login_as):
    quiz = make_quiz(Purpose.PRE_JOB, time_limit_minutes=30)
    login_as(trainee_in_training.user)
    response = client.post(f"/quizzes/{quiz.id}/start")
    assert response.status_code == 302
    attempt = db.session.scalar(select(Attempt))
    return attempt


def test_the_attempt_page_leaks_no_answers_weights_or_feedback(started, client):
    html = client.get(f"/attempts/{started.id}").get_data(as_text=True)
    assert "客户问到你不会的问题时" in html  # the question is there …
    for secret in SECRETS:  # … its key, weights and feedback are not
        assert secret not in html, secret


def test_the_autosave_json_leaks_nothing(started, client):
    fields, slots = answer_everything(started)
    body = client.post(f"/attempts/{started.id}/save", json={"answers": fields, "slots": slots})
    assert body.status_code == 200 and body.json["saved"] is True
    text = body.get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in text


def test_a_reload_shows_the_saved_answers(started, client, db):
    slot = next(r.slot for r in load_responses(started) if r.version.type == "single_choice")
    client.post(
        f"/attempts/{started.id}/save", json={"answers": {f"q-{slot}": ["1"]}, "slots": [slot]}
    )
    html = client.get(f"/attempts/{started.id}").get_data(as_text=True)
    assert f'id="q-{slot}-c1" value="1" checked' in html
    assert f'id="q-{slot}-c0" value="0" checked' not in html


def test_the_attempt_page_is_not_cached(started, client):
    assert client.get(f"/attempts/{started.id}").headers["Cache-Control"] == "no-store"


def test_another_trainee_cannot_see_or_save_the_attempt(started, client, make_user, login_as):
    client.post("/logout")
    login_as(make_user(Role.TRAINEE))
    assert client.get(f"/attempts/{started.id}").status_code == 404
    assert client.post(f"/attempts/{started.id}/save", json={"answers": {}}).status_code == 404


def test_double_submit_gives_one_graded_attempt(started, client, db):
    fields, slots = answer_everything(started)
    data = {**fields, "slot": [str(s) for s in slots]}
    first = client.post(f"/attempts/{started.id}/submit", data=data)
    second = client.post(f"/attempts/{started.id}/submit", data={"q-0": ["2"], "slot": ["0"]})
    assert first.status_code == second.status_code == 303
    db.session.expire_all()
    attempt = db.session.get(Attempt, started.id)
    assert attempt.state == AttemptState.SUBMITTED and attempt.score == 8  # essay pending
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_concurrent_submits_from_two_tabs_grade_once(started, app, db):
    clients = [app.test_client() for _ in range(4)]
    for c in clients:
        c.post("/login", data={"employee_no": started.user.employee_no, "password": PASSWORD})
    fields, slots = answer_everything(started)
    data = {**fields, "slot": [str(s) for s in slots]}
    barrier = threading.Barrier(len(clients))
    codes = []

    def submit(c):
        barrier.wait()
        codes.append(c.post(f"/attempts/{started.id}/submit", data=data).status_code)

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [303] * len(clients)
    db.session.expire_all()
    audits = db.session.scalar(select(func.count(Response.id)).where(Response.score.is_not(None)))
    assert audits == 8 and db.session.get(Attempt, started.id).score == 8


def test_save_after_the_deadline_is_refused_and_submits(started, client, db):
    with clock.travel(minutes=31):
        response = client.post(f"/attempts/{started.id}/save", json={"answers": {"q-0": ["0"]}})
    assert load_responses(started)
    assert response.status_code == 409 and response.json["closed"] is True
    db.session.expire_all()
    assert db.session.get(Attempt, started.id).auto_submitted is True


def test_opening_an_overdue_attempt_changes_nothing_and_offers_the_submit(started, client, db):
    client.post(f"/attempts/{started.id}/save", json={"answers": {"q-0": ["0"]}, "slots": [0]})
    with clock.travel(minutes=40):
        response = client.get(f"/attempts/{started.id}")
        assert response.status_code == 302 and response.location.endswith("/review")
        page = client.get(response.location)
    assert 'data-testid="time-up"' in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Attempt, started.id).state == AttemptState.IN_PROGRESS  # a GET


def test_the_close_overdue_job_submits_an_overdue_attempt_with_its_saved_answers(
    started, client, db
):
    client.post(f"/attempts/{started.id}/save", json={"answers": {"q-0": ["0"]}, "slots": [0]})
    with clock.travel(minutes=40):
        result = run_job("quizzes.close_overdue")
    assert result.outcome == "done" and result.summary == "1 overdue attempts submitted"
    db.session.expire_all()
    attempt = db.session.get(Attempt, started.id)
    assert attempt.state != AttemptState.IN_PROGRESS and attempt.auto_submitted


def test_late_submit_ignores_posted_answers_and_keeps_saved_ones(started, client, db):
    fields, slots = answer_everything(started)
    with clock.travel(minutes=45):
        client.post(
            f"/attempts/{started.id}/submit", data={**fields, "slot": [str(s) for s in slots]}
        )
    db.session.expire_all()
    assert db.session.get(Attempt, started.id).score == 0


def test_close_overdue_command(started, runner, db):
    with clock.travel(hours=1):
        result = runner.invoke(args=["quizzes", "close-overdue"])
    assert "1 overdue attempts submitted" in result.output


def test_exam_review_shows_feedback_and_the_procedure_step_but_not_the_key(started, client, db):
    fields, slots = answer_everything(started, well=False)
    client.post(f"/attempts/{started.id}/submit", data={**fields, "slot": [str(s) for s in slots]})
    html = client.get(f"/attempts/{started.id}/review").get_data(as_text=True)
    assert "这是服务禁语" in html and 'data-testid="score"' in html
    assert "complaint_handling.listen" in html and "首问负责：先稳住客户再查询。" in html
    assert 'data-testid="correct-answer"' not in html


def test_trainer_grades_an_essay_and_the_trainee_moves_on(started, client, db, login_as, make_user):
    fields, slots = answer_everything(started)
    client.post(f"/attempts/{started.id}/submit", data={**fields, "slot": [str(s) for s in slots]})
    client.post("/logout")
    login_as(make_user(Role.TRAINER))
    queue = client.get("/manage/grading").get_data(as_text=True)
    essay = db.session.scalar(select(Response).where(Response.needs_grading.is_(True)))
    assert f"/manage/grading/{essay.id}" in queue
    response = client.post(f"/manage/grading/{essay.id}", data={"points": "1", "comment": "好"})
    assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, started.id)
    assert attempt.passed is True and attempt.user_id == started.user_id
    assert current_enrolment(attempt.user).stage == Stage.PRE_JOB_PASSED


def test_trainee_cannot_reach_trainer_pages(started, client):
    assert client.get("/manage/banks").status_code == 403
    assert client.get("/manage/grading").status_code == 403


def test_trainer_bank_pages_and_export(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    assert "测试题库" in client.get("/manage/banks").get_data(as_text=True)
    gift = client.get(f"/manage/banks/{bank.id}/export.gift").get_data(as_text=True)
    assert "// [id:sc]" in gift


def test_upload_with_errors_imports_nothing_and_lists_lines(db, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    data = {
        "file": (io.BytesIO("好题{=对}\n\n坏题{=对 ~%x%错}".encode()), "bad.gift"),
        "format": "gift",
    }
    response = client.post("/manage/banks/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "bad.gift:3: bad weight" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_editing_a_question_in_the_ui_makes_a_new_version(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    question = db.session.scalar(select(Question).where(Question.key == "tf"))
    source = client.get(f"/manage/questions/{question.id}/source").get_data(as_text=True)
    assert "answer: false" in source
    yaml_text = (
        "type: true_false\ncategory: first_inquiry\ntext: 首问负责制要求负责到底。\nanswer: true\n"
    )
    client.post(f"/manage/questions/{question.id}/source", data={"source": yaml_text})
    db.session.expire_all()
    assert [v.number for v in db.session.get(Question, question.id).versions] == [1, 2]


def test_autosave_needs_the_csrf_header(csrf_client):
    response = csrf_client.post("/attempts/1/save", json={"answers": {}})
    assert response.status_code == 400


def test_review_links_each_question_to_its_procedure_step(
    db, make_quiz, trainee_in_training, client, login_as
):

    load_library()
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc"])  # linked to complaint_handling.listen
    login_as(trainee_in_training.user)
    client.post(f"/quizzes/{quiz.id}/start")
    attempt = db.session.scalar(select(Attempt))
    client.post(f"/attempts/{attempt.id}/submit", data={"slot": ["0"]})
    html = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert 'href="/procedures/complaint_handling#step-listen"' in html
    assert "投诉受理 › 耐心倾听" in html


def test_the_pre_job_exam_waits_for_the_other_pre_job_requirements(
    db, make_quiz, trainee_in_training
):

    load_library()
    quiz = make_quiz(Purpose.PRE_JOB, keys=["sc"])
    reasons = unavailable_reasons(quiz, trainee_in_training.user)
    assert reasons and "服务流程" in reasons[0]  # content's "study the pre-job modules"


def test_trainer_creates_a_question_and_bad_yaml_names_the_field(
    db, bank, client, login_as, make_user
):

    login_as(make_user(Role.TRAINER))
    bad = client.post(
        f"/manage/banks/{bank.id}/questions/new/source",
        data={"source": "type: numerical\ncategory: norms\ntext: 几分钟？\n"},
    )
    assert "answers: at least one numerical answer is needed" in bad.get_data(as_text=True)
    good = client.post(
        f"/manage/banks/{bank.id}/questions/new/source",
        data={
            "source": "key: early\ntype: numerical\ncategory: norms\ntext: 提前几分钟到岗？\n"
            "answers: [{value: 15}]\n"
        },
    )
    assert good.status_code == 302
    assert db.session.scalar(select(Question).where(Question.key == "early")).current.number == 1


def test_trainee_dashboard_shows_the_exams_panel(
    db, make_quiz, trainee_in_training, client, login_as
):
    quiz = make_quiz(Purpose.PRE_JOB, keys=["sc"])
    login_as(trainee_in_training.user)
    html = client.get("/").get_data(as_text=True)
    assert f'data-testid="start-{quiz.key}"' in html


def test_trainer_dashboard_counts_essays_to_grade(started, client, db, login_as, make_user):
    fields, slots = answer_everything(started)
    client.post(f"/attempts/{started.id}/submit", data={**fields, "slot": [str(s) for s in slots]})
    client.post("/logout")
    login_as(make_user(Role.TRAINER))
    html = client.get("/?as=trainer").get_data(as_text=True)
    assert 'data-testid="essays-pending">1<' in html


def test_trainer_reads_a_trainees_attempt_but_another_trainee_cannot(
    started, client, db, login_as, make_user
):
    client.post(f"/attempts/{started.id}/submit", data={"slot": ["0"]})
    assert client.get(f"/manage/attempts/{started.id}").status_code == 403
    client.post("/logout")
    login_as(make_user(Role.TRAINER))
    html = client.get(f"/manage/attempts/{started.id}").get_data(as_text=True)
    assert started.user.employee_no in html
    assert "请稍等，我帮您查询一下" in html  # the key of the single-choice question
    results = client.get(f"/manage/quizzes/{started.quiz_id}").get_data(as_text=True)
    assert f"/manage/attempts/{started.id}" in results


def test_trainer_sets_up_a_quiz_by_rules_and_bad_rules_are_named(
    db, bank, client, login_as, make_user, make_cohort
):
    login_as(make_user(Role.TRAINER))
    cohort = make_cohort(name="2026年第2期")
    form = {
        "key": "drill-1",
        "title": "练习一",
        "purpose": "practice",
        "pass_percent": "60",
        "grading_method": "last",
        "review_when": "immediately",
        "shuffle_answers": "y",
        "time_limit_minutes": "15",
        "cohort_ids": [str(cohort.id)],
        "published": "y",
        "open_at": "2026-01-05T09:00",
        "rules": "- {category: forbidden_phrases, count: 5}\n",
    }
    bad = client.post("/manage/quizzes/new", data=form)
    assert "category forbidden_phrases has 2 questions, 5 needed" in bad.get_data(as_text=True)
    form["rules"] = "- {category: forbidden_phrases, count: 2}\n- {question: test_bank/essay}\n"
    assert client.post("/manage/quizzes/new", data=form).status_code == 302
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "drill-1"))
    assert (quiz.time_limit_minutes, quiz.grading_method.value, len(quiz.rules)) == (15, "last", 2)
    assert [c.id for c in quiz.cohorts] == [cohort.id]
    assert quiz.open_at.hour == 1  # 09:00 in Asia/Shanghai is 01:00 UTC
    page = client.get(f"/manage/quizzes/{quiz.id}/edit").get_data(as_text=True)
    assert "(essay)" in page and 'value="2026-01-05T09:00"' in page  # a fixed rule row

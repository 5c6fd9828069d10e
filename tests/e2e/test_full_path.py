"""The whole path in Chromium, with the shipped library: an admin creates a trainee → a
trainer enrols them → modules → required drills → pre-job exam → placement → every required
task signed off over 30 days → final exam → practical assessment at the counter → certificate
PDF → verified → revoked.

Everything goes through the browser except the clock (`clock.travel`: the live server runs
in this process). Once in zh_CN (the default) and a shorter pass in English: there every kind
of page is used once in the browser (a module, a drill, a sign-off), and the repeats of a
kind the Chinese pass has already clicked through go through the same services directly.
"""

import re

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.e2e.test_quiz_exam import browser_fields, enter
from trainer import clock
from trainer.accounts.models import User
from trainer.certificates.services import certificate_for
from trainer.content.models import ContentModule
from trainer.content.reading import study_page
from trainer.extensions import db
from trainer.internship.models import Grade
from trainer.internship.services import active_placement, new_idempotency_token, sign_off_task
from trainer.library import load_everything
from trainer.permissions import Role
from trainer.quizzes.models import Attempt
from trainer.quizzes.services import load_responses
from trainer.roleplay.demo import best_path, ideal_reply, play
from trainer.roleplay.models import DrillSession
from trainer.roleplay.requirements import required_scenarios
from trainer.roleplay.services import spec_of
from trainer.training.models import Enrolment
from trainer.training.path import trainee_path
from trainer.training.services import current_enrolment
from trainer.training.stages import Stage

# Two to three minutes each in the browser: CI runs them (see `slow` in pyproject.toml).
pytestmark = pytest.mark.slow

ESSAY = (
    "先起身接待、引导到接待区安抚；倾听、致歉；复述确认并查询记录；"
    "当面请值班经理并完整交接；约定回复时限，登记台账；首问负责，不推诿。"
)


@pytest.fixture
def shipped_library(app, tmp_path, monkeypatch, live_server):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", live_server)
    load_everything()
    db.session.commit()


@pytest.fixture
def staff(make_user, make_hall, make_cohort, programme, shipped_library):
    hall = make_hall(name="人民路营业厅")
    trainer = make_user(Role.TRAINER, name="王培训")
    return {
        "hall": hall,
        "admin": make_user(Role.ADMIN, name="系统管理员"),
        "trainer": trainer,
        "mentor": make_user(Role.MENTOR, name="张师傅", hall=hall),
        "duty_manager": make_user(Role.MENTOR, name="李经理", hall=hall),
        "cohort": make_cohort(trainer=trainer, name="2026年第一期"),
    }


def switch_to_english(page) -> None:
    page.select_option("#locale-select", "en")
    page.wait_for_function("document.documentElement.lang === 'en'")


def create_trainee_as_admin(page, employee_no: str, name: str, hall) -> User:
    page.goto("/admin/users/new")
    page.fill("input[name=employee_no]", employee_no)
    page.fill("input[name=name]", name)
    page.check("input[name=roles][value=trainee]")
    page.select_option("select[name=hall_id]", str(hall.id))
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=save-user]")
    page.wait_for_url(re.compile(r".*/admin/users$"))
    assert name in page.content()
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.employee_no == employee_no))


def first_login(page, trainee) -> None:
    """An account an administrator made must choose its own password before anything else."""
    page.goto("/login")
    page.fill("input[name=employee_no]", trainee.employee_no)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/account/password$"))
    page.fill("input[name=current_password]", PASSWORD)
    page.fill("input[name=new_password]", "trainee-own-2026")
    page.fill("input[name=confirm]", "trainee-own-2026")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/(\?.*)?$"))


def enrol_as_trainer(page, cohort, trainee) -> Enrolment:
    page.goto(f"/cohorts/{cohort.id}")
    # the picker is a search: type the employee number, then choose among the matches
    page.fill("[data-testid=enrol-search] input[name=q]", trainee.employee_no)
    page.click("[data-testid=enrol-search] button[type=submit]")
    page.select_option("select[name=trainee_ids]", str(trainee.id))
    page.click(f"form[action$='/cohorts/{cohort.id}/enrol'] button[type=submit]")
    page.wait_for_selector("tr[data-enrolment]")
    db.session.expire_all()
    return current_enrolment(trainee)


def study_every_module(page, trainee, shoot=None, in_browser: int | None = None) -> None:
    """Study every module: the first `in_browser` (all by default) page by page in the
    browser, the rest through the reading service; the list must then show all done."""
    page.goto("/modules")
    keys = page.locator("[data-module]").evaluate_all("els => els.map(e => e.dataset.module)")
    keys = list(dict.fromkeys(keys))
    assert keys
    split = len(keys) if in_browser is None else in_browser
    for key in keys[:split]:
        page.goto(f"/modules/{key}")
        if shoot and key == keys[0]:
            shoot(page, "module")
        while "/modules/" in page.url:
            page.get_by_test_id("mark-studied").click()
            page.wait_for_load_state()
    for key in keys[split:]:
        module = db.session.scalar(select(ContentModule).where(ContentModule.key == key))
        for module_page in module.pages:
            study_page(trainee, module_page)
        db.session.commit()
    page.goto("/modules")
    assert page.get_by_test_id("module-done").count() == len(keys)


def play_required_drills(page, enrolment, shoot=None, in_browser: int | None = None) -> None:
    """Play every required drill along its best path: the first `in_browser` (all by
    default) in the browser, the rest through the drill services."""
    scenarios = required_scenarios(enrolment.programme)
    split = len(scenarios) if in_browser is None else in_browser
    for scenario in scenarios[split:]:
        play(enrolment.user, scenario)
        db.session.commit()
    for scenario in scenarios[:split]:
        page.goto("/drills")
        page.click(f"[data-testid=practice-{scenario.key}]")
        page.wait_for_url(re.compile(r".*/drills/sessions/\d+"))
        session = db.session.get(DrillSession, int(page.url.rsplit("/", 1)[1]))
        spec = spec_of(session.version)
        for position, (turn_key, move) in enumerate(best_path(spec)):
            if move is None:
                page.fill("[data-testid=reply-input]", ideal_reply(spec, turn_key))
                page.click("[data-testid=send-reply]")
            else:
                page.click(f"[data-testid=choice-{move}]")
            page.wait_for_selector(f"[data-testid=move-{position}]", state="attached")
        assert page.locator("[data-testid=ending]").get_attribute("data-outcome") == "good"
        if shoot:
            shoot(page, f"drill-{scenario.key}")


def sit_exam(page, trainee, start_testid: str, shoot=None, name="exam") -> Attempt:
    page.goto("/quizzes")
    page.click(f"[data-testid={start_testid}]")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    attempt_id = int(page.url.rsplit("/", 1)[1])
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.user_id == trainee.id
    for field in browser_fields(attempt):
        if field[1] == "essay":
            page.locator(f'[name="{field[2]}"]').fill(ESSAY)
        else:
            enter(page, field)
    page.wait_for_selector("[data-testid=save-status][data-state=saved]")
    if shoot:
        shoot(page, f"{name}-attempt")
    page.click("[data-testid=submit-attempt]")
    page.wait_for_url(re.compile(r".*/attempts/\d+/review$"))
    if shoot:
        shoot(page, f"{name}-review")
    return attempt


def grade_essays_in_full(page, attempt) -> None:
    """The trainer grades every essay of the attempt with full points."""
    db.session.expire_all()
    essays = [r for r in load_responses(attempt) if r.version.type == "essay"]
    for response in essays:
        page.goto("/manage/grading")
        page.locator("[data-testid=grading-queue] a").first.click()
        page.fill("input[name=points]", f"{response.version.points:g}")
        page.fill("textarea[name=comment]", "要点齐全，首问负责。")
        page.click("[data-testid=save-grade]")
        page.wait_for_url(re.compile(r".*/manage/grading$"))


def place_with_mentor(page, enrolment, mentor, duty_manager) -> None:
    page.goto("/internship/")
    page.click(f"[data-testid=place-{enrolment.id}]")
    page.select_option("select[name=mentor_id]", label=f"{mentor.name} ({mentor.employee_no})")
    page.select_option("select[name=duty_manager_id]", str(duty_manager.id))
    page.click("[data-testid=save-placement]")
    page.wait_for_url(re.compile(r".*/internship/$"))
    assert enrolment.user.name in page.locator("[data-testid=placements]").inner_text()


def sign_off_every_required_task(page, enrolment, mentor, shoot=None, in_browser=None) -> int:
    """The mentor signs off every required task as often as it must be observed: the first
    `in_browser` sign-offs (all by default) on the task page, the rest through the service."""
    db.session.expire_all()
    placement = active_placement(enrolment)
    required = [t for t in placement.plan.tasks if t.required and not t.retired]
    sign_offs = [(t, n) for t in required for n in range(t.observations_needed)]
    split = len(sign_offs) if in_browser is None else in_browser
    for task, _observation in sign_offs[split:]:
        sign_off_task(
            mentor,
            placement,
            task,
            observed_on=clock.today(),
            observed_items=set(range(len(task.checklist))),
            rating=5,
            grade=Grade.EXCELLENT,
            comment="Done to the standard",
            idempotency_token=new_idempotency_token(),
            duty_manager_present=task.needs_duty_manager,
        )
        db.session.commit()
    for task, observation in sign_offs[:split]:
        page.goto(f"/internship/mentees/{enrolment.id}/tasks/{task.id}")
        assert page.locator("[data-testid=task-title]").inner_text() == task.title
        page.click(".js-check-all")
        page.click("label[for=rating-5]")
        page.click("label[for=grade-excellent]")
        if task.needs_duty_manager:
            page.check("input[name=duty_manager_present]")
        page.fill("textarea[name=comment]", "操作规范，用语标准")
        if shoot and task is required[0] and observation == 0:
            shoot(page, "sign-off")
        page.click("[data-testid=sign-off-submit]")
        page.wait_for_url(re.compile(r".*/internship/mentees/\d+$"))
    return len(required)


def hold_practical_assessment(page, enrolment, shoot=None) -> None:
    """The mentor assesses at the counter with the shipped checklist: every item met."""
    page.goto("/")
    page.click(f"[data-testid=assess-{enrolment.id}]")
    page.wait_for_url(re.compile(r".*/practical/trainees/\d+/assess$"))
    page.click(".js-all-met")
    page.fill("textarea[name=comment]", "迎候、实名核验、复述号码和送别都做到位。")
    if shoot:
        shoot(page, "practical-assessment")
    page.click("[data-testid=practical-submit]")
    page.wait_for_url(re.compile(r".*/practical/assessments/\d+$"))
    assert page.locator("[data-testid=practical-verdict]").get_attribute("data-passed") == "1"


def download_certificate(page, tmp_path) -> bytes:
    page.goto("/")
    with page.expect_download() as download_info:
        page.click("[data-testid=download-certificate]")
    path = tmp_path / "certificate.pdf"
    download_info.value.save_as(path)
    return path.read_bytes()


def stage_of(enrolment) -> Stage:
    db.session.expire_all()
    return db.session.get(Enrolment, enrolment.id).stage


def walk_the_path(open_page, browser_login, staff, tmp_path, shoot, english: bool):
    def new_page():  # with the fades and smooth scrolling most staff see
        return open_page(motion="no-preference")

    employee_no, name = ("N90001", "林小雨") if not english else ("N90002", "Lin Xiaoyu")
    shots = shoot if not english else None

    admin = browser_login(new_page(), staff["admin"])
    if english:
        switch_to_english(admin)
    trainee = create_trainee_as_admin(admin, employee_no, name, staff["hall"])
    if shots:
        shots(admin, "admin-users")

    trainer_page = browser_login(new_page(), staff["trainer"])
    if english:
        switch_to_english(trainer_page)
    enrolment = enrol_as_trainer(trainer_page, staff["cohort"], trainee)
    assert enrolment.stage is Stage.PRE_JOB_TRAINING
    if shots:
        shots(trainer_page, "cohort")

    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    first_login(page, trainee)
    if english:
        switch_to_english(page)
    if shots:
        shots(page, "trainee-dashboard-start")
    # The English pass clicks through one of each repeated kind of page (see the docstring).
    once = 1 if english else None
    study_every_module(page, trainee, shots, in_browser=once)
    play_required_drills(page, enrolment, shots, in_browser=once)
    assert stage_of(enrolment) is Stage.PRE_JOB_TRAINING

    pre_job = sit_exam(page, trainee, "start-pre-job-exam", shots, "pre-job")
    grade_essays_in_full(trainer_page, pre_job)
    assert stage_of(enrolment) is Stage.PRE_JOB_PASSED, db.session.get(Attempt, pre_job.id)

    place_with_mentor(trainer_page, enrolment, staff["mentor"], staff["duty_manager"])
    assert stage_of(enrolment) is Stage.INTERNING
    if shots:
        shots(trainer_page, "placements")

    mentor_page = browser_login(new_page(), staff["mentor"])
    if english:
        switch_to_english(mentor_page)
    assert name in mentor_page.locator("[data-testid=mentee-list]").inner_text()
    if shots:
        shots(mentor_page, "mentor-dashboard")
    with clock.travel(days=31):
        assert sign_off_every_required_task(mentor_page, enrolment, staff["mentor"], shots, once)
        assert stage_of(enrolment) is Stage.INTERNSHIP_COMPLETE, trainee_path.unmet(
            db.session.get(Enrolment, enrolment.id)
        )
        if shots:
            shots(mentor_page, "mentee-complete")

        final = sit_exam(page, trainee, "start-final-exam", shots, "final")
        grade_essays_in_full(trainer_page, final)
        # The written exam alone is not enough: the practical assessment is still to come.
        assert stage_of(enrolment) is Stage.INTERNSHIP_COMPLETE
        hold_practical_assessment(mentor_page, enrolment, shots)
        assert stage_of(enrolment) is Stage.CERTIFIED

        pdf = download_certificate(page, tmp_path)
        assert pdf.startswith(b"%PDF-")
        if shots:
            shots(page, "trainee-certified")

        db.session.expire_all()
        certificate = certificate_for(db.session.get(Enrolment, enrolment.id))
        visitor = new_page()
        visitor.goto(f"/verify/{certificate.verification_code}")
        result = visitor.locator("[data-testid=verify-result]")
        assert result.get_attribute("data-status") == "valid"
        assert visitor.locator("[data-testid=verify-name]").inner_text() == name
        if shots:
            shots(visitor, "verify-valid")

        trainer_page.goto("/certificates")
        trainer_page.click(f"text={certificate.serial}")
        trainer_page.fill("textarea[name=reason]", "复核发现考试违规，撤销上岗证")
        trainer_page.on("dialog", lambda dialog: dialog.accept())
        trainer_page.click("[data-testid=revoke]")
        trainer_page.wait_for_selector("[data-testid=certificate-status][data-status=revoked]")
        if shots:
            shots(trainer_page, "certificate-revoked")

        visitor.goto(f"/verify/{certificate.verification_code}")
        assert (
            visitor.locator("[data-testid=verify-result]").get_attribute("data-status") == "revoked"
        )
        if shots:
            shots(visitor, "verify-revoked")
    return page


def test_the_whole_path_in_chinese(new_page, browser_login, staff, tmp_path, screenshot):
    page = walk_the_path(new_page, browser_login, staff, tmp_path, screenshot, english=False)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"


def test_the_whole_path_in_english(new_page, browser_login, staff, tmp_path, screenshot):
    page = walk_the_path(new_page, browser_login, staff, tmp_path, screenshot, english=True)
    assert page.evaluate("document.documentElement.lang") == "en"

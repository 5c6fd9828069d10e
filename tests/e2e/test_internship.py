"""The internship in a real browser at a phone viewport: a mentor signs off at the counter,
the trainee sees it, and after the last required task and 30 days the final exam unlocks."""

import re

import pytest
from sqlalchemy import func, select

from trainer import clock
from trainer.internship.models import SignOff
from trainer.internship.plan_files import parse_plan
from trainer.internship.plans import upsert_plan
from trainer.internship.services import active_placement, place_trainee
from trainer.permissions import Role
from trainer.quizzes.banks import import_questions
from trainer.quizzes.questions import normalise_question
from trainer.quizzes.quiz_setup import upsert_quiz
from trainer.training.stages import Stage

PHONE = {"width": 390, "height": 844}
PLAN = """\
key: e2e-plan
title: 端到端带教计划
weeks:
  - week: 1
    tasks:
      - key: greet_customers
        title: 站立迎客与首句问候
        checklist:
          - 客户走近时起身相迎，主动问候“您好，请问有什么可以帮您？”
          - 双手接递证件和单据
      - key: close_the_till
        title: 日终结账与交接
        checklist:
          - 清点现金并与营业日报核对
          - 退出业务系统，工号不外借
"""


@pytest.fixture
def final_exam(db, programme):
    """A published final exam of the programme (built with the quizzes feature's services)."""
    question = normalise_question(
        {
            "key": "first_inquiry",
            "type": "true_false",
            "category": "first_inquiry",
            "text": "首问负责制下，可以让客户去找别的同事。",
            "answer": False,
        }
    )
    import_questions(None, "e2e_bank", [question], title="端到端题库")
    quiz = upsert_quiz(
        None,
        programme,
        {
            "key": "final-exam",
            "title": "上岗考试",
            "purpose": "final",
            "rules": [{"question": "e2e_bank/first_inquiry"}],
        },
    )
    quiz.published = True
    db.session.commit()
    return quiz


@pytest.fixture
def placed_trainee(db, make_user, make_hall, make_enrolment):
    hall = make_hall(name="人民路营业厅")
    mentor = make_user(Role.MENTOR, name="张师傅", hall=hall)
    trainee = make_user(Role.TRAINEE, name="王小明", hall=hall)
    enrolment = make_enrolment(trainee=trainee)
    enrolment.stage = Stage.PRE_JOB_PASSED
    plan, _changed = upsert_plan(parse_plan(PLAN, "e2e-plan.yaml"))
    place_trainee(
        make_user(Role.TRAINER),
        enrolment,
        hall=hall,
        mentor=mentor,
        plan=plan,
        start_date=clock.today(),
    )
    db.session.commit()
    return enrolment, mentor


def sign_off_next_task(page, title: str, shoot=None) -> None:
    """On the mentor's dashboard: one tap into the next task, tick, rate, sign."""
    page.goto("/")
    next_task = page.locator("[data-testid=next-task]")
    assert title in next_task.inner_text()
    next_task.click()
    page.wait_for_url(re.compile(r".*/tasks/\d+$"))
    assert page.locator("[data-testid=task-title]").inner_text() == title
    page.click(".js-check-all")
    page.click("label[for=rating-5]")
    page.click("label[for=grade-excellent]")
    page.fill("textarea[name=comment]", "迎客主动，用语规范")
    if shoot:
        shoot(page, "sign-off-form")
    page.click("[data-testid=sign-off-submit]")
    page.wait_for_url(re.compile(r".*/internship/mentees/\d+$"))


def test_mentor_signs_off_on_a_phone_and_the_final_exam_unlocks(
    new_page, browser_login, placed_trainee, final_exam, screenshot, db
):
    enrolment, mentor = placed_trainee
    mentor_page = browser_login(new_page(viewport=PHONE), mentor)
    assert "王小明" in mentor_page.locator("[data-testid=mentee-list]").inner_text()
    screenshot(mentor_page, "mentor-dashboard")
    sign_off_next_task(mentor_page, "站立迎客与首句问候", screenshot)
    assert "站立迎客与首句问候" in mentor_page.locator("[data-testid=sign-offs]").inner_text()

    trainee_page = browser_login(new_page(viewport=PHONE), enrolment.user)
    assert (
        "站立迎客与首句问候" in trainee_page.locator("[data-testid=latest-sign-offs]").inner_text()
    )
    trainee_page.goto("/quizzes")
    assert trainee_page.locator("[data-testid=start-final-exam]").count() == 0
    screenshot(trainee_page, "trainee-before")

    with clock.travel(days=30):
        mentor_page.goto("/internship/mentees")
        sign_off_next_task(mentor_page, "日终结账与交接")
        screenshot(mentor_page, "mentor-after-last-task")

        trainee_page.goto("/")
        assert trainee_page.locator("[data-testid=final-exam-next]").is_visible()
        screenshot(trainee_page, "trainee-dashboard-complete")
        trainee_page.goto("/quizzes")
        start = trainee_page.locator("[data-testid=start-final-exam]")
        assert start.is_visible()
        screenshot(trainee_page, "final-exam-unlocked")
    db.session.refresh(enrolment)
    assert enrolment.stage is Stage.INTERNSHIP_COMPLETE


def test_a_double_tap_on_the_sign_off_button_records_one(
    new_page, browser_login, placed_trainee, db
):

    enrolment, mentor = placed_trainee
    page = browser_login(new_page(viewport=PHONE), mentor)
    page.locator("[data-testid=next-task]").click()
    # The form's script (tick-all, the one-submit guard) comes last in the page: wait for the
    # load, or on a busy machine the taps land first: nothing ticked, a 422 on the task page.
    page.wait_for_url(re.compile(r".*/tasks/\d+$"))
    page.click(".js-check-all")
    page.click("label[for=rating-4]")
    page.click("label[for=grade-pass]")
    page.dblclick("[data-testid=sign-off-submit]")
    page.wait_for_url(re.compile(r".*/internship/mentees/\d+$"))
    assert db.session.scalar(select(func.count()).select_from(SignOff)) == 1


def test_internship_pages_have_no_serious_accessibility_violations(
    new_page, browser_login, placed_trainee, make_user, serious_a11y_violations, db
):

    enrolment, mentor = placed_trainee
    placement = active_placement(enrolment)
    task_id = placement.plan.tasks[0].id
    e = enrolment.id
    pages = [
        (
            mentor,
            [
                "/",
                "/internship/mentees",
                f"/internship/mentees/{e}",
                f"/internship/mentees/{e}/tasks/{task_id}",
                "/internship/overdue",
            ],
        ),
        (enrolment.user, ["/", "/internship/my"]),
        (
            make_user(Role.TRAINER),
            [
                "/internship/",
                f"/internship/enrolments/{e}/placement",
                "/internship/overdue",
                "/internship/plans",
                f"/internship/plans/{placement.plan_id}",
            ],
        ),
    ]
    found = {}
    for user, paths in pages:
        page = browser_login(new_page(viewport=PHONE, bypass_csp=True), user)
        for path in paths:
            page.goto(path)
            if violations := serious_a11y_violations(page):
                found[path] = violations
    assert found == {}


def test_a_trainer_places_a_trainee_and_the_mentor_sees_the_new_mentee(
    new_page, browser_login, make_user, make_hall, make_enrolment, db
):
    hall = make_hall(name="高新区旗舰营业厅")
    mentor = make_user(Role.MENTOR, name="李师傅", hall=hall)
    enrolment = make_enrolment(trainee=make_user(Role.TRAINEE, name="赵小燕", hall=hall))
    enrolment.stage = Stage.PRE_JOB_PASSED
    upsert_plan(parse_plan(PLAN, "e2e-plan.yaml"))
    db.session.commit()

    page = browser_login(new_page(), make_user(Role.TRAINER))
    page.goto("/internship/")
    page.click(f"[data-testid=place-{enrolment.id}]")
    page.select_option("select[name=mentor_id]", label=f"李师傅 ({mentor.employee_no})")
    page.click("[data-testid=save-placement]")
    page.wait_for_url(re.compile(r".*/internship/$"))
    assert "赵小燕" in page.locator("[data-testid=placements]").inner_text()

    mentor_page = browser_login(new_page(viewport=PHONE), mentor)
    assert "赵小燕" in mentor_page.locator("[data-testid=mentee-list]").inner_text()
    db.session.refresh(enrolment)
    assert enrolment.stage is Stage.INTERNING

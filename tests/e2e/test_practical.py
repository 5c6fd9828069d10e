"""The practical assessment in Chromium at a phone's width: the mentor opens it from the
dashboard, marks the checklist at the counter and signs; the trainee's path shows the result
and only the written exam remains. Also: another mentor's mentee is a 404."""

import re

import pytest

from tests.e2e.test_internship import PHONE
from trainer import clock
from trainer.internship.plan_files import parse_plan
from trainer.internship.plans import upsert_plan
from trainer.internship.services import place_trainee
from trainer.permissions import Role
from trainer.practical.models import PracticalAssessment
from trainer.practical.services import load_default_checklists
from trainer.training.stages import Stage

PLAN = """\
key: e2e-practical-plan
title: 端到端带教计划
weeks:
  - week: 1
    tasks:
      - key: greet_customers
        title: 站立迎客与首句问候
        checklist: [客户走近时起身相迎]
"""


@pytest.fixture
def finalist(db, make_user, make_hall, make_enrolment, programme):
    load_default_checklists()  # the shipped checklist (scripts_library/practical/)
    hall = make_hall(name="人民路营业厅")
    mentor = make_user(Role.MENTOR, name="张师傅", hall=hall)
    trainee = make_user(Role.TRAINEE, name="王小明", hall=hall)
    enrolment = make_enrolment(trainee=trainee)
    enrolment.stage = Stage.PRE_JOB_PASSED
    plan, _changed = upsert_plan(parse_plan(PLAN, "e2e-practical-plan.yaml"))
    place_trainee(
        make_user(Role.TRAINER),
        enrolment,
        hall=hall,
        mentor=mentor,
        plan=plan,
        start_date=clock.today(),
    )
    enrolment.stage = Stage.INTERNSHIP_COMPLETE  # the internship E2E covers getting here
    db.session.commit()
    return enrolment, mentor


def test_a_mentor_assesses_on_a_phone_and_the_trainee_sees_it_on_the_path(
    new_page, browser_login, finalist, screenshot, db
):
    enrolment, mentor = finalist
    trainee_page = browser_login(new_page(viewport=PHONE), enrolment.user)
    assert "通过柜台实操考核" in trainee_page.locator("[data-testid=next-steps]").inner_text()

    page = browser_login(new_page(viewport=PHONE), mentor)
    page.click(f"[data-testid=assess-{enrolment.id}]")
    page.wait_for_url(re.compile(r".*/practical/trainees/\d+/assess$"))
    assert (
        page.locator("[data-testid=checklist-title]").inner_text() == "营业厅窗口服务上岗实操考核"
    )
    # Nothing sticks out sideways at 390 px: the observer never scrolls horizontally.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click(".js-all-met")
    page.click("label[for=item-service_phrases-partly]")
    page.fill("input[name=note-service_phrases]", "查询时离开座位没说“请稍等”")
    assert "95.45 / 100 · 合格" in page.locator("[data-testid=live-score]").inner_text()
    page.fill("textarea[name=comment]", "全程起身迎候，实名核验到位，号码逐位复述。")
    screenshot(page, "practical-form")
    page.click("[data-testid=practical-submit]")
    page.wait_for_url(re.compile(r".*/practical/assessments/\d+$"))
    verdict = page.locator("[data-testid=practical-verdict]")
    assert verdict.get_attribute("data-passed") == "1" and verdict.inner_text() == "通过"
    screenshot(page, "practical-result")

    trainee_page.goto("/")
    panel = trainee_page.locator("[data-testid=panel-practical]")
    assert "95.45 / 100" in panel.inner_text() and "张师傅" in panel.inner_text()
    assert trainee_page.locator("[data-testid=next-steps]").inner_text() == "通过上岗考试。"
    screenshot(trainee_page, "trainee-path")
    trainee_page.goto("/notifications/")
    assert "实操考核结果：合格" in trainee_page.locator("[data-testid=notifications]").inner_text()


def test_a_failed_critical_item_fails_and_the_form_says_so(new_page, browser_login, finalist, db):
    enrolment, mentor = finalist
    page = browser_login(new_page(viewport=PHONE), mentor)
    page.goto(f"/practical/trainees/{enrolment.id}/assess")
    page.click(".js-all-met")
    page.click("label[for=item-real_name_check-not_met]")
    assert page.locator(".js-verdict-critical").is_visible()
    page.fill("textarea[name=comment]", "未做人像比对就受理，两周后重考。")
    page.click("[data-testid=practical-submit]")
    page.wait_for_url(re.compile(r".*/practical/assessments/\d+$"))
    assert page.locator("[data-testid=practical-verdict]").get_attribute("data-passed") == "0"
    db.session.expire_all()
    assert db.session.get(type(enrolment), enrolment.id).stage is Stage.INTERNSHIP_COMPLETE
    assert db.session.query(PracticalAssessment).one().critical_failures[0]["key"] == (
        "real_name_check"
    )


def test_another_mentor_cannot_open_the_form(new_page, browser_login, finalist, make_user):
    enrolment, _mentor = finalist
    page = browser_login(new_page(viewport=PHONE), make_user(Role.MENTOR))
    response = page.goto(f"/practical/trainees/{enrolment.id}/assess")
    assert response.status == 404

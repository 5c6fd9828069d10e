"""An administrator imports new staff from a CSV saved by Chinese Excel (GB18030, CRLF); the
newcomer signs in with the temporary password, must choose their own, and sees the bell light
up when their mentor signs off a task."""

import re

from sqlalchemy import select

from tests.e2e.test_internship import PHONE, PLAN, sign_off_next_task
from trainer import clock
from trainer.accounts.models import User
from trainer.internship.plan_files import parse_plan
from trainer.internship.plans import upsert_plan
from trainer.internship.services import place_trainee
from trainer.permissions import Role
from trainer.training.stages import Stage

EXCEL_CSV = (
    "employee_no,name,roles,hall_code,email,phone,password\r\n"
    "E7001,李晓华,trainee,YT-EXCEL,,13900001111,\r\n"
).encode("gb18030")


def test_an_excel_csv_newcomer_changes_password_and_hears_of_a_sign_off(
    new_page, browser_login, db, make_user, make_hall, make_enrolment, screenshot
):
    hall = make_hall(code="YT-EXCEL", name="解放路营业厅")
    admin = make_user(Role.ADMIN, name="管理员")
    mentor = make_user(Role.MENTOR, name="张师傅", hall=hall)

    admin_page = browser_login(new_page(), admin)
    admin_page.goto("/admin/users")
    admin_page.set_input_files(
        "input[name=file]",
        files=[{"name": "新员工.csv", "mimeType": "text/csv", "buffer": EXCEL_CSV}],
    )
    admin_page.click("[data-testid=import-users]")
    temporary = admin_page.locator("[data-testid=temporary-password]").inner_text()
    assert "李晓华" in admin_page.locator("main").inner_text()
    screenshot(admin_page, "temporary-passwords")

    newcomer = db.session.scalar(select(User).where(User.employee_no == "E7001"))
    assert newcomer.hall == hall and newcomer.must_change_password
    enrolment = make_enrolment(trainee=newcomer)
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

    page = new_page(viewport=PHONE)
    page.goto("/login")
    page.fill("input[name=employee_no]", "E7001")
    page.fill("input[name=password]", temporary)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/account/password$"))
    assert "请先设置您自己的密码" in page.locator("body").inner_text()
    page.goto("/internship/my")  # nothing else opens before the password is changed
    page.wait_for_url(re.compile(r".*/account/password$"))
    page.fill("input[name=current_password]", temporary)
    page.fill("input[name=new_password]", "my-own-pass-2026")
    page.fill("input[name=confirm]", "my-own-pass-2026")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/(\?.*)?$"))
    bell = page.locator("[data-testid=notification-bell]")
    assert bell.get_attribute("data-count") == "0"

    mentor_page = browser_login(new_page(viewport=PHONE), mentor)
    sign_off_next_task(mentor_page, "站立迎客与首句问候")

    page.reload()
    assert bell.get_attribute("data-count") == "1"
    bell.click()
    page.wait_for_url(re.compile(r".*/notifications/$"))
    item = page.locator("[data-testid=notification]").first
    assert item.inner_text().startswith("张师傅 已为你的带教任务“站立迎客与首句问候”签字。")
    screenshot(page, "newcomer-notification")

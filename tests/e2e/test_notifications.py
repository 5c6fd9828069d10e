"""Notifications in Chromium: a mentor signs off a task on a phone, the trainee sees the
bell's count, opens the list, follows the notification (which marks it read)."""

import re

from tests.e2e.test_internship import PHONE, sign_off_next_task
from tests.e2e.test_internship import placed_trainee as placed_trainee  # noqa: F401  (fixture)


def test_a_sign_off_reaches_the_trainees_bell(
    new_page,
    browser_login,
    placed_trainee,
    screenshot,  # noqa: F811  (the imported fixture)
):
    enrolment, mentor = placed_trainee
    trainee_page = browser_login(new_page(viewport=PHONE), enrolment.user)
    bell = trainee_page.locator("[data-testid=notification-bell]")
    assert bell.get_attribute("data-count") == "0"

    mentor_page = browser_login(new_page(viewport=PHONE), mentor)
    sign_off_next_task(mentor_page, "站立迎客与首句问候")

    trainee_page.reload()
    assert bell.get_attribute("data-count") == "1"
    assert trainee_page.locator("[data-testid=notification-count]").inner_text() == "1"
    screenshot(trainee_page, "bell")
    bell.click()
    trainee_page.wait_for_url(re.compile(r".*/notifications/$"))
    item = trainee_page.locator("[data-testid=notification]").first
    assert item.inner_text().startswith("张师傅 已为你的带教任务“站立迎客与首句问候”签字。")
    assert item.get_attribute("data-unread") == "1"
    screenshot(trainee_page, "notifications")
    item.locator("[data-testid=open-notification]").click()
    trainee_page.wait_for_url(re.compile(r".*/internship/my$"))
    assert (
        trainee_page.locator("[data-testid=notification-bell]").get_attribute("data-count") == "0"
    )

"""In Chromium (zh_CN): a trainer imports a Moodle XML export through the bank page; a
trainee answers the imported question, seeing its image and formatted answers, and the
feedback image only in the review."""

import re
from pathlib import Path

from sqlalchemy import select

from trainer.extensions import db
from trainer.permissions import Role
from trainer.quizzes.models import Attempt, Purpose
from trainer.quizzes.quiz_setup import upsert_quiz

EXPORT = Path(__file__).parent.parent / "quizzes" / "data" / "moodle_export.xml"


def image_loaded(page, selector: str) -> bool:
    return page.locator(selector).first.evaluate("img => img.complete && img.naturalWidth > 0")


def test_a_moodle_export_is_imported_and_its_question_shown_with_its_images(
    app, new_page, browser_login, make_user, make_enrolment, programme, screenshot
):
    page = new_page()
    browser_login(page, make_user(Role.TRAINER))
    page.goto("/manage/banks")
    page.set_input_files('input[name="file"]', str(EXPORT))
    page.fill('input[name="bank"]', "迁移题库")
    page.check('input[name="skip_unsupported"]')
    page.click("[data-testid=import-bank]")
    page.wait_for_url(re.compile(r".*/manage/banks/\d+$"))
    body = page.content()
    assert "迁移题库：新建 3 题" in body
    assert "未导入" in body and "不支持题型 calculatedsimple：话费计算" in body
    assert "已跳过说明项 &#39;说明&#39;" in body or "已跳过说明项 '说明'" in body
    assert page.locator("[data-testid=question-title]").first.inner_text() == "识别旗帜"
    screenshot(page, "moodle-import")

    upsert_quiz(
        None,
        programme,
        {
            "key": "moodle-logo",
            "title": "迁移练习",
            "purpose": Purpose.PRACTICE.value,
            "rules": [{"question": "迁移题库/logo-1"}],
        },
    )
    db.session.commit()
    trainee = make_enrolment().user
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, trainee)
    page.goto("/quizzes")
    page.click("[data-testid=start-moodle-logo]")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    assert image_loaded(page, ".question-text img[alt=标志]")
    page.locator("label b", has_text="本公司").click()
    screenshot(page, "moodle-attempt")
    page.click("[data-testid=submit-attempt]")
    page.wait_for_url(re.compile(r".*/review$"))
    assert image_loaded(page, "[data-testid=general-feedback] img[alt=答案]")
    attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == trainee.id))
    db.session.refresh(attempt)
    assert attempt.score == 2

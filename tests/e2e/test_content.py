"""Browser: a trainee studies a module and sees progress; step cards in Chinese; a trainer
edits a step with preview and the edit is audited; the phrase checker highlights."""

import re

import pytest
from sqlalchemy import select

from trainer import ROOT
from trainer.audit.models import AuditEntry
from trainer.content.loading import load_library
from trainer.extensions import db
from trainer.permissions import Role


@pytest.fixture
def library(app, programme):
    load_library(ROOT / "scripts_library")
    db.session.commit()


def test_trainee_studies_a_module_and_sees_progress(
    page, browser_login, make_enrolment, library, screenshot
):
    enrolment = make_enrolment()
    browser_login(page, enrolment.user)
    page.goto("/modules/conduct")
    assert page.get_by_test_id("module-title").inner_text() == "行为举止"
    for _ in range(3):
        page.get_by_test_id("mark-studied").click()
    page.wait_for_url("**/modules")
    row = page.locator("[data-module=conduct]")
    assert row.get_by_test_id("module-done").is_visible()
    assert row.get_by_test_id("module-progress").inner_text().startswith("3")
    page.goto("/")
    panel_row = page.get_by_test_id("panel-modules").locator("[data-module=conduct]")
    assert panel_row.get_by_test_id("panel-module-progress").inner_text() == "3/3"
    screenshot(page, "dashboard")


def test_procedure_cards_render_in_chinese_with_reminders(
    page, browser_login, make_user, library, screenshot
):
    browser_login(page, make_user(Role.TRAINEE))
    page.goto("/procedures/open_account")
    card = page.locator("#step-verify_identity")
    assert "实名核验" in card.inner_text()
    assert "人证合一" in card.get_by_test_id("standard").inner_text()
    assert "请您出示一下" in card.get_by_test_id("script").inner_text()
    kinds = card.locator("[data-reminder]").evaluate_all("els => els.map(e => e.dataset.reminder)")
    assert set(kinds) == {"important", "error_prone", "forgettable"}
    colours = card.locator("[data-reminder]").evaluate_all(
        "els => els.map(e => getComputedStyle(e).borderLeftColor)"
    )
    assert len(set(colours)) == 3  # 易忘 / 易错 / 重要 look different
    screenshot(page, "procedure")
    page.get_by_test_id("cue-card-link").click()
    page.wait_for_url(re.compile(r".*/card$"))
    page.get_by_test_id("cue-card").wait_for(state="visible")
    page.emulate_media(media="print")
    page.locator("nav.navbar").wait_for(state="hidden", timeout=5000)  # the print style hides it
    screenshot(page, "cue-card-print")


def test_trainer_edits_a_step_with_preview_and_the_edit_is_audited(
    page, browser_login, make_user, library, screenshot
):
    trainer = make_user(Role.TRAINER)
    browser_login(page, trainer)
    page.goto("/procedures/bill_payment")
    page.locator("#step-take_payment").get_by_test_id("edit-step").click()
    page.fill(
        "textarea[name=script]", "收您一百元，给您缴入号码尾号8899。\n找您二十元，请您点一下。"
    )
    page.get_by_test_id("preview-step").click()
    assert "尾号8899" in page.get_by_test_id("step-preview").inner_text()
    screenshot(page, "preview")
    page.get_by_test_id("save-step").click()
    page.wait_for_url("**/procedures/bill_payment#step-take_payment")
    assert "尾号8899" in page.locator("#step-take_payment").inner_text()
    db.session.expire_all()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "procedure.step_edit"))
    assert entry.actor_id == trainer.id
    assert "收您一百元，给您缴入号码尾号8899。" in entry.after["script"]


def test_phrase_checker_highlights_forbidden_phrases(page, browser_login, make_user, library):
    browser_login(page, make_user(Role.TRAINEE))
    page.goto("/phrases/check")
    page.fill("textarea[name=text]", "您好，這不歸我管，您去問別人吧")
    page.get_by_test_id("check").click()
    marks = page.locator("mark.forbidden-mark")
    assert marks.first.inner_text().startswith("這不歸我管")
    assert "这个问题由我们的专业同事负责" in page.get_by_test_id("findings").inner_text()

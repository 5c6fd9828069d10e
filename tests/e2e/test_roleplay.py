"""Role-play in Chromium: a trainee's careless reply is highlighted with the phrase to say
instead; a trainer overrides the automatic score in the review queue."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests.roleplay.conftest import add_phrases
from trainer.audit.models import AuditEntry
from trainer.extensions import db
from trainer.permissions import Role
from trainer.roleplay import library_refs
from trainer.roleplay.models import DrillStep
from trainer.roleplay.services import load_scenarios

CARELESS = "这不归我管，你找领导去吧。"


def test_trainee_sees_a_forbidden_phrase_highlighted_and_a_trainer_overrides_the_score(
    new_page, browser_login, make_enrolment, make_user, screenshot
):
    load_scenarios(library_refs.SCENARIOS_DIR)
    db.session.commit()
    add_phrases(db)
    trainee = make_enrolment().user
    trainer = make_user(Role.TRAINER)

    page = new_page()
    browser_login(page, trainee)
    page.goto("/drills")
    screenshot(page, "drills")
    page.click("[data-testid=practice-complaint_overcharge_escalation]")
    page.wait_for_url(re.compile(r".*/drills/sessions/\d+"))
    assert "你们又乱扣我话费" in page.locator("[data-testid=customer-line]").first.inner_text()
    page.click("[data-testid=choice-0]")
    page.fill("[data-testid=reply-input]", CARELESS)
    page.click("[data-testid=send-reply]")

    feedback = page.locator("[data-testid=move-1]")
    highlights = feedback.locator("mark[data-testid=highlight]")
    expect(highlights).to_have_count(2)  # the feedback page loads after the post
    assert highlights.nth(0).inner_text() == "这不归我管"
    assert (
        highlights.nth(0).get_attribute("data-start"),
        highlights.nth(0).get_attribute("data-end"),
    ) == ("0", "5")
    assert highlights.nth(1).inner_text() == "找领导去"
    alternatives = feedback.locator("[data-testid=alternative]").all_inner_texts()
    assert alternatives == ["这个问题我来负责，我带您过去。", "我请值班经理来为您处理。"]
    assert feedback.locator("[data-testid=element-apologise]").get_attribute("data-found") == "no"
    assert "非常抱歉给您添麻烦了" in feedback.locator("[data-testid=model-line]").inner_text()
    screenshot(page, "trainee-feedback")
    page.click("[data-testid=choice-1]")  # 找领导去 again: the scene ends badly
    assert page.locator("[data-testid=ending]").get_attribute("data-outcome") == "bad"

    review = new_page()
    browser_login(review, trainer)
    review.goto("/roleplay/review")
    step_id = db.session.scalar(select(DrillStep.id).where(DrillStep.kind == "reply"))
    review.click(f"[data-testid=review-{step_id}]")
    review.select_option("#verdict-next_step", "found")
    review.fill("#comment", "“我带您过去”算是给出了下一步")
    screenshot(review, "review-step")
    review.click("[data-testid=save-review]")
    review.wait_for_url(re.compile(r".*/roleplay/review$"))
    assert review.locator(f"tr[data-step='{step_id}']").count() == 0
    screenshot(review, "trainer-queue")

    db.session.expire_all()
    step = db.session.get(DrillStep, step_id)
    assert step.override_map() == {"next_step": True}
    assert (
        db.session.scalar(select(AuditEntry.reason).where(AuditEntry.action == "roleplay.override"))
        == "“我带您过去”算是给出了下一步"
    )
    page.reload()
    assert (
        page.locator("[data-testid=move-1] [data-testid=element-next_step]").get_attribute(
            "data-found"
        )
        == "yes"
    )


def test_a_reply_being_typed_survives_a_reload(page, browser_login, make_enrolment):
    load_scenarios(library_refs.SCENARIOS_DIR)
    db.session.commit()
    browser_login(page, make_enrolment().user)
    page.goto("/drills")
    page.click("[data-testid=exam-bill_payment_queue]")
    page.wait_for_url(re.compile(r".*/drills/sessions/\d+"))
    page.fill("[data-testid=reply-input]", "让您久等了，我马上为您办理")
    expect(page.locator(".js-draft-status")).to_have_text("✓")  # autosaved
    page.reload()
    assert page.input_value("[data-testid=reply-input]") == "让您久等了，我马上为您办理"

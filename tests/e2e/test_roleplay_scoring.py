"""Issue 15 in Chromium: a paraphrased good reply passes; a hidden 禁语 fails the scene with
the phrase highlighted once; a trainer's verdict on a low-confidence element, approved as an
example, scores the identical reply of another trainee the same way."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from trainer.extensions import db
from trainer.permissions import Role
from trainer.roleplay import library_refs
from trainer.roleplay.models import DrillStep
from trainer.roleplay.services import load_scenarios

PARAPHRASE = "人多让您等了这么久，实在抱歉。我现在就帮您交，您要交的是哪个手机号？"
HIDDEN = "抱歉让您久等，号码您说一下，有意见你去找领导去吧。"
TAUGHT = "这钱我给您一把交上"
ODD = "这钱我一把给您交上，号码说一下"


def play_bill_payment(page, reply_text):
    # the first reply of a process loads jieba's dictionary: slow on a busy machine
    page.set_default_timeout(60_000)
    page.goto("/drills")
    page.click("[data-testid=practice-bill_payment_queue]")
    page.wait_for_url(re.compile(r".*/drills/sessions/\d+"))
    page.fill("[data-testid=reply-input]", reply_text)
    page.click("[data-testid=send-reply]")
    page.locator("[data-testid=move-0]").wait_for()


def finish_cleanly(page):
    page.click("[data-testid=choice-0]")
    page.click("[data-testid=choice-0]")
    return page.locator("[data-testid=ending]")


def test_a_paraphrase_passes_and_a_hidden_forbidden_phrase_fails_the_scene(
    new_page, browser_login, make_enrolment, screenshot
):
    load_scenarios(library_refs.SCENARIOS_DIR)
    db.session.commit()
    page = new_page()
    browser_login(page, make_enrolment().user)

    play_bill_payment(page, PARAPHRASE)
    for key in ("sorry_wait", "act_now", "number"):
        assert page.locator(f"[data-testid=element-{key}]").get_attribute("data-found") == "yes"
    ending = finish_cleanly(page)
    assert ending.get_attribute("data-path") == "clean"
    assert page.locator("[data-testid=scene-score] .text-bg-success").count() == 1
    screenshot(page, "paraphrase-passes")

    play_bill_payment(page, HIDDEN)
    highlights = page.locator("[data-testid=move-0] mark[data-testid=highlight]")
    assert highlights.count() == 1
    assert highlights.first.inner_text() == "你去找领导去"
    assert page.locator("[data-testid=forbidden-veto]").count() == 1
    ending = finish_cleanly(page)
    assert ending.get_attribute("data-path") == "risky"
    assert page.locator("[data-testid=scene-score] .text-bg-danger").count() == 1
    assert "一票否决" in page.locator("[data-testid=path-reasons]").inner_text()
    screenshot(page, "hidden-forbidden-fails")


def test_a_trainer_teaches_the_scorer_from_the_review_queue(
    new_page, browser_login, make_enrolment, make_user, screenshot
):
    load_scenarios(library_refs.SCENARIOS_DIR)
    db.session.commit()
    trainer = make_user(Role.TRAINER)
    editor = new_page()
    browser_login(editor, trainer)
    editor.goto("/roleplay/scenarios/bill_payment_queue/edit")
    editor.select_option("#element-t1", "act_now")
    editor.fill("#text-t1", TAUGHT)
    editor.click("[data-testid=add-example-t1]")
    # the page reloads onto the same address: wait for the row rather than count the old page
    expect(editor.locator("[data-testid=example-row]")).to_have_count(1)

    first = new_page()
    browser_login(first, make_enrolment().user)
    play_bill_payment(first, ODD)
    assert first.locator("[data-testid=move-0] [data-testid=needs-review]").inner_text() == "待复核"
    finish_cleanly(first)

    editor.goto("/roleplay/review")
    step_id = db.session.scalar(select(DrillStep.id).where(DrillStep.kind == "reply"))
    editor.click(f"[data-testid=review-{step_id}]")
    editor.select_option("#verdict-act_now", "missing")
    editor.check("[data-testid=example-act_now]")
    editor.fill("#comment", "只说一把交上，没有说马上办")
    screenshot(editor, "teach-the-scorer")
    editor.click("[data-testid=save-review]")
    editor.wait_for_url(re.compile(r".*/roleplay/review$"))

    second = new_page()
    browser_login(second, make_enrolment().user)
    play_bill_payment(second, ODD)
    act_now = second.locator("[data-testid=move-0] [data-testid=element-act_now]")
    assert act_now.get_attribute("data-found") == "no"
    assert second.locator("[data-testid=move-0] [data-testid=needs-review]").count() == 0

"""A trainer edits a scenario with the graph preview, saves a version and plays it as a trainee."""

import re

from playwright.sync_api import expect

from trainer.extensions import db
from trainer.permissions import Role
from trainer.roleplay import library_refs
from trainer.roleplay.services import load_scenarios, scenario_by_key


def test_trainer_edits_a_scenario_sees_the_graph_and_plays_it(
    page, browser_login, make_user, screenshot
):
    load_scenarios(library_refs.SCENARIOS_DIR)
    db.session.commit()
    browser_login(page, make_user(Role.TRAINER))
    page.goto("/roleplay/scenarios/fault_report_first_inquiry/edit")
    graph = page.locator("[data-testid=scenario-graph]")
    assert graph.locator("g[data-node]").count() == 3 + 3  # three turns, three endings

    source = page.locator("[data-testid=scenario-source]")
    text = source.input_value()
    source.fill(text.replace("next: t3", "next: t9"))
    page.click("button[value=check]")
    assert (
        "turns.t2.next: unknown turn 't9'"
        in page.locator("[data-testid=scenario-problems]").inner_text()
    )

    page.locator("[data-testid=scenario-source]").fill(
        text.replace("被别的柜台支过来的报修客户", "被别的柜台支过来的报修客户（修订）")
    )
    page.click("[data-testid=save-scenario]")
    page.wait_for_url(re.compile(r".*/edit$"))
    assert "修订" in page.locator("h1").inner_text()
    screenshot(page, "editor")
    db.session.expire_all()
    assert scenario_by_key("fault_report_first_inquiry").current_version == 2

    page.click("[data-testid=play-preview]")
    page.wait_for_url(re.compile(r".*/drills/sessions/\d+"))
    assert "那边的小伙子说报修不归他管" in page.locator("[data-testid=customer-line]").inner_text()
    page.click("[data-testid=choice-0]")
    page.fill(
        "[data-testid=reply-input]",
        "您家两天没网了，请问是什么时候开始的？指示灯是什么颜色？我帮您登记报修。",
    )
    page.click("[data-testid=send-reply]")
    expect(page.locator("[data-testid=move-1] [data-found=yes]")).to_have_count(4)
    page.click("[data-testid=choice-0]")
    assert page.locator("[data-testid=ending]").get_attribute("data-outcome") == "good"
    assert "100%" in page.locator("[data-testid=scene-score]").inner_text()
    screenshot(page, "preview-finished")

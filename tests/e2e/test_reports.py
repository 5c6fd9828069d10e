"""In Chromium: a trainer reads a cohort dashboard, opens a trainee's weak areas, records a
coaching talk (面谈辅导); the trainee acknowledges it."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import AXE_SCRIPT
from tests.reports.conftest import (  # noqa: F401  (fixtures)
    make_attempt,
    make_quiz,
    matcher,
    play,
    scenarios,
)
from trainer import clock
from trainer.permissions import Role
from trainer.quizzes.models import Purpose


def serious_violations_in_main(page) -> list[tuple[str, list[str]]]:
    """axe-core on this feature's content (the shared navbar is checked by its owner)."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "async () => await axe.run(document.querySelector('main'), {resultTypes: ['violations']})"
    )
    return [
        (v["id"], [n["target"][0] for n in v["nodes"]][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def cohort_with_a_struggling_trainee(request, db, make_user, make_cohort, make_enrolment):
    # the report fixtures are imported into this module; fetched by name to keep ruff quiet
    new_quiz, attempt, play_drill = (
        request.getfixturevalue(name) for name in ("make_quiz", "make_attempt", "play")
    )
    trainer = make_user(Role.TRAINER, name="周培训")
    cohort = make_cohort(
        trainer=trainer, start_date=clock.today() - timedelta(days=14), name="2026年第11期"
    )
    strong = make_enrolment(trainee=make_user(Role.TRAINEE, name="陈优秀"), cohort=cohort)
    weak = make_enrolment(trainee=make_user(Role.TRAINEE, name="林待进"), cohort=cohort)
    exam = new_quiz(
        [
            ("q1", "complaints", "complaint_handling.apologise", 1.0),
            ("q2", "norms", None, 1.0),
            ("q3", "forbidden_phrases", None, 1.0),
        ],
        purpose=Purpose.PRE_JOB,
        pass_percent=60,
        title="岗前考试",
    )
    attempt(strong.user, exam, [1, 1, 1], submitted_at=clock.now() - timedelta(days=7))
    attempt(weak.user, exam, [0, 1, 0], submitted_at=clock.now() - timedelta(days=7))
    attempt(weak.user, exam, [0, 1, 1])
    play_drill(weak.user, text="不知道，这个没办法")
    play_drill(strong.user, text="您好，非常抱歉给您带来不便，我马上为您核实，请稍等")
    return trainer, cohort, weak.user


def test_trainer_coaches_a_trainee_from_the_dashboard_and_the_trainee_acknowledges(
    new_page,
    browser_login,
    screenshot,
    cohort_with_a_struggling_trainee,
):
    trainer, cohort, trainee = cohort_with_a_struggling_trainee
    page = browser_login(new_page(bypass_csp=True), trainer)

    page.goto("/reports/")
    page.click(f"[data-testid=cohort-report-{cohort.id}]")
    expect(page.get_by_test_id("cohort-dashboard")).to_have_text("2026年第11期")
    for chart in ("chart-funnel", "chart-pass-rates", "chart-trend-quiz"):
        expect(page.get_by_test_id(f"{chart}-svg")).to_be_visible()
    expect(page.locator("svg.chart--histogram")).to_have_count(1)
    # the data table behind a chart opens without any script
    page.locator("#chart-funnel summary").click()
    expect(page.get_by_test_id("chart-funnel-table")).to_be_visible()
    assert serious_violations_in_main(page) == []
    screenshot(page, "cohort-dashboard")

    page.click(f"[data-testid=weak-areas-{trainee.id}]")
    expect(page.get_by_test_id("trainee-report")).to_contain_text("林待进")
    expect(page.get_by_test_id("weak-phrases")).to_contain_text("不知道")
    expect(page.get_by_test_id("chart-topics-svg")).to_contain_text("投诉处理")
    assert serious_violations_in_main(page) == []
    screenshot(page, "weak-areas")

    page.click("[data-testid=start-coaching]")
    assert serious_violations_in_main(page) == []
    page.locator("input[name=focus][value='phrase:不知道']").check()
    page.locator("input[name=focus][value='topic:complaints']").check()
    page.fill("textarea[name=discussion]", "投诉场景中先说了“不知道”，没有先致歉。")
    page.fill("textarea[name=agreed_actions]", "每天对镜练习致歉用语三遍\n下次演练先致歉再核实")
    page.fill("input[name=follow_up_on]", (clock.today() + timedelta(days=7)).isoformat())
    page.click("[data-testid=save-coaching]")
    expect(page.get_by_test_id("agreed-actions")).to_contain_text("每天对镜练习致歉用语三遍")
    expect(page.get_by_test_id("coaching-focus")).to_contain_text("不知道")
    record_url = page.url
    screenshot(page, "coaching-record")

    trainee_page = browser_login(new_page(), trainee)
    trainee_page.get_by_test_id("coaching-to-acknowledge").get_by_role("link").click()
    assert trainee_page.url == record_url
    trainee_page.fill("textarea[name=comment]", "我会每天练习")
    trainee_page.click("[data-testid=acknowledge]")
    expect(trainee_page.get_by_test_id("acknowledged")).to_be_visible()
    screenshot(trainee_page, "acknowledged")

    page.reload()
    expect(page.get_by_test_id("acknowledged")).to_be_visible()
    expect(page.locator("main")).to_contain_text("我会每天练习")
    assert re.search(r"/coaching/\d+$", record_url)

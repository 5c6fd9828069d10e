"""In Chromium, on a desktop and a phone: a trainee pages through the pre-job exam, flags two
questions, jumps back through the navigation panel, reads the summary and submits; answers
typed while the connection is down reach the server when it returns; axe on the attempt,
summary and review pages."""

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.test_quiz_exam import browser_fields, enter
from trainer import clock
from trainer.db import as_utc
from trainer.extensions import db
from trainer.quizzes.library import load_question_banks
from trainer.quizzes.models import Attempt, AttemptState, Quiz
from trainer.quizzes.services import load_responses

PER_PAGE = 5
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ESSAY = "先起身接待、安抚；倾听、致歉；复述确认并查询记录；当面请值班经理并完整交接；约定回复时限。"


def paged_exam(per_page: int = PER_PAGE) -> Quiz:
    """The shipped pre-job exam, its page layout set as a trainer would in the quiz form."""
    load_question_banks()
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "pre-job-exam"))
    quiz.questions_per_page = per_page
    db.session.commit()
    return quiz


def start(page, testid: str) -> Attempt:
    page.goto("/quizzes")
    page.click(f"[data-testid={testid}]")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    return db.session.get(Attempt, int(page.url.rsplit("/", 1)[1]))


def answer(page, fields, slot: int) -> None:
    for field in (f for f in fields if f[0] == slot):
        if field[1] == "essay":
            page.locator(f"#question-{slot} textarea").fill(ESSAY)
        else:
            enter(page, field)


def open_panel(page, phone: bool) -> None:
    if phone:
        page.click("[data-testid=open-quiz-nav]")
        page.wait_for_selector("#quiz-nav.show")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_trainee_pages_flags_jumps_back_and_submits_from_the_summary(
    app, new_page, browser_login, make_enrolment, screenshot, viewport
):
    paged_exam()
    phone = viewport is PHONE
    trainee = make_enrolment().user
    page = browser_login(new_page(viewport=viewport), trainee)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    attempt = start(page, "start-pre-job-exam")
    fields = browser_fields(attempt)
    slots = sorted({f[0] for f in fields} | {r.slot for r in load_responses(attempt)})
    pages = -(-len(slots) // PER_PAGE)
    assert page.locator(".quiz-page:not([hidden]) .question").count() == PER_PAGE
    skipped, flagged = slots[3], (slots[1], slots[PER_PAGE * 2 + 1])

    for number in range(1, pages + 1):
        assert page.locator(".quiz-page:not([hidden])").get_attribute("data-page") == str(number)
        assert page.locator("[data-testid=page-indicator]").inner_text() == (
            f"第 {number} 页，共 {pages} 页"
        )
        on_page = slots[(number - 1) * PER_PAGE : number * PER_PAGE]
        for slot in on_page:
            if slot != skipped:
                answer(page, fields, slot)
            if slot in flagged:
                page.locator(f'label[for="flag-{slot}"]').click()
        if number < pages:
            page.click("[data-testid=next-page]")
            page.wait_for_selector(f'.quiz-page[data-page="{number + 1}"]:not([hidden])')
    page.wait_for_selector("[data-testid=save-status][data-state=saved]")
    screenshot(page, "last-page")

    # Back through the panel to the question left out.
    open_panel(page, phone)
    number = slots.index(skipped) + 1
    button = page.locator(f"[data-testid=qnav-{number}]")
    assert "answered" not in (button.get_attribute("class") or "").split()
    first_flag = page.locator(f"[data-testid=qnav-{slots.index(flagged[0]) + 1}]")
    assert "flagged" in first_flag.get_attribute("class").split()
    button.click()
    page.wait_for_selector('.quiz-page[data-page="1"]:not([hidden])')
    if phone:  # closed, the drawer no longer takes the focus back to its button
        page.wait_for_selector("#quiz-nav", state="hidden")
    expect(page.locator(f"#question-{skipped}")).to_be_focused()
    answer(page, fields, skipped)
    page.wait_for_selector("[data-testid=save-status][data-state=saved]")

    open_panel(page, phone)
    page.click("[data-testid=nav-finish]")
    page.wait_for_url(re.compile(r".*/summary$"))
    rows = page.locator("[data-testid=summary-row]")
    assert rows.count() == len(slots)
    flagged_numbers = {slots.index(s) + 1 for s in flagged}
    assert {
        int(rows.nth(i).get_attribute("data-number"))
        for i in range(rows.count())
        if rows.nth(i).get_attribute("data-flagged") == "yes"
    } == flagged_numbers
    assert page.locator("[data-testid=summary-row][data-answered=no]").count() == 0
    screenshot(page, "summary")

    page.click("[data-testid=summary-submit]")
    page.wait_for_url(re.compile(r".*/review$"))
    assert len(dialogs) == 1

    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == AttemptState.SUBMITTED  # essay to grade
    responses = load_responses(attempt)
    assert {r.slot for r in responses if r.flagged} == set(flagged)
    assert all(r.value is not None for r in responses)
    assert all(r.fraction == 1 for r in responses if r.version.type != "essay")


def test_unanswered_questions_are_named_once_more_before_submitting(
    app, new_page, browser_login, make_enrolment
):
    paged_exam()
    page = browser_login(new_page(), make_enrolment().user)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    attempt = start(page, "start-pre-job-exam")
    page.click("[data-testid=finish-attempt]")
    page.wait_for_url(re.compile(r".*/summary$"))
    total = len(load_responses(attempt))
    assert page.locator("[data-testid=summary-row][data-answered=no]").count() == total
    page.click("[data-testid=summary-submit]")
    assert str(total) in dialogs[0]
    assert page.url.endswith("/summary")  # dismissed: nothing submitted
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == AttemptState.IN_PROGRESS


def test_answers_typed_offline_reach_the_server_when_the_connection_returns(
    app, new_page, browser_login, make_enrolment
):
    paged_exam(per_page=2)
    page = browser_login(new_page(), make_enrolment().user)
    attempt = start(page, "start-pre-job-exam")
    fields = browser_fields(attempt)
    # the draw is random: the first two choice questions, wherever they fall
    choices = [f for f in fields if f[1] in ("single_choice", "true_false")]
    first, second = choices[0], next(f for f in choices if f[0] != choices[0][0])
    saves = []
    page.on(
        "response",
        lambda response: saves.append(response.status) if response.url.endswith("/save") else None,
    )

    top = page.locator("#question-0")  # on page 1
    before = top.bounding_box()
    page.context.set_offline(True)
    for field in (first, second):
        while page.locator(f"#question-{field[0]}").is_hidden():
            page.click("[data-testid=next-page]")  # paging needs no server
        enter(page, field)
    page.wait_for_selector("[data-testid=save-status][data-state=offline]")
    assert "未连接，答案暂存在本机" in page.locator("[data-testid=save-status]").inner_text()
    queued = page.evaluate(f"() => localStorage.getItem('quiz-attempt-{attempt.id}')")
    assert first[2] in queued and second[2] in queued
    db.session.expire_all()
    assert all(r.value is None for r in load_responses(attempt))

    page.context.set_offline(False)
    page.wait_for_selector("[data-testid=save-status][data-state=saved]", timeout=15_000)
    page.wait_for_timeout(1500)
    assert saves == [200]  # the queue sends one request carrying both answers
    while top.is_hidden():
        page.click("[data-testid=previous-page]")
    assert top.bounding_box() == before  # the status changed three times, nothing moved
    assert page.evaluate(f"() => localStorage.getItem('quiz-attempt-{attempt.id}')") is None
    db.session.expire_all()
    saved = {r.slot: r.value for r in load_responses(attempt)}
    assert saved[first[0]] is not None and saved[second[0]] is not None


def test_attempt_summary_and_review_pages_have_no_serious_violations(
    app, new_page, browser_login, make_enrolment, serious_a11y_violations
):
    paged_exam()
    page = browser_login(new_page(bypass_csp=True), make_enrolment().user)
    page.on("dialog", lambda dialog: dialog.accept())
    attempt = start(page, "start-pre-job-exam")
    found = {}
    page.locator("label[for^=flag-]").first.click()
    if violations := serious_a11y_violations(page):
        found["attempt"] = violations
    page.click("[data-testid=large-text]")
    assert page.locator("body.quiz-large-text").count() == 1
    page.mouse.move(0, 0)  # no hover colours half-way through their transition
    page.wait_for_timeout(400)
    if violations := serious_a11y_violations(page):
        found["attempt, larger text"] = violations
    page.click("[data-testid=finish-attempt]")
    page.wait_for_url(re.compile(r".*/summary$"))
    if violations := serious_a11y_violations(page):
        found["summary"] = violations
    page.click("[data-testid=summary-submit]")
    page.wait_for_url(re.compile(r".*/review$"))
    if violations := serious_a11y_violations(page):
        found["review"] = violations
    assert found == {}
    assert db.session.get(Attempt, attempt.id) is not None


def test_the_timer_is_announced_to_screen_readers(app, new_page, browser_login, make_enrolment):
    quiz = paged_exam()
    quiz.time_limit_minutes = 60
    db.session.commit()
    page = new_page()
    # The page's clock runs 50 minutes ahead minus a second: the 10-minute mark is next.
    page.add_init_script(
        "(() => { const shift = (50 * 60 - 2) * 1000; const now = Date.now;"
        " Date.now = () => now() + shift; })()"
    )
    browser_login(page, make_enrolment().user)
    start(page, "start-pre-job-exam")
    page.wait_for_function(
        "() => document.getElementById('timer-announcer').textContent !== ''", timeout=8000
    )
    assert "10" in page.locator("[data-testid=timer-announcer]").inner_text()


SHIFTABLE_CLOCK = (
    "(() => { let shift = 0; const now = Date.now;"
    " window.__shiftClock = (ms) => { shift = ms; }; Date.now = () => now() + shift; })()"
)


@pytest.mark.parametrize(("late_seconds", "counted"), [(5, True), (90, False)])
def test_time_running_out_offline_submits_on_reconnect_and_the_server_decides(
    app, new_page, browser_login, make_enrolment, late_seconds, counted
):
    paged_exam(per_page=None)
    page = new_page()
    page.add_init_script(SHIFTABLE_CLOCK)
    browser_login(page, make_enrolment().user)
    attempt = start(page, "start-pre-job-exam")
    field = next(f for f in browser_fields(attempt) if f[1] in ("single_choice", "true_false"))
    page.context.set_offline(True)
    enter(page, field)
    page.wait_for_selector("[data-testid=save-status][data-state=offline]")
    # The browser's clock jumps to two seconds before the deadline: the countdown runs out.
    left = (as_utc(attempt.deadline) - datetime.now(UTC)).total_seconds()
    page.evaluate(f"() => window.__shiftClock({int((left - 2) * 1000)})")
    page.wait_for_function(
        "() => document.getElementById('countdown').textContent === '00:00'", timeout=8000
    )
    # "00:00" shows for the last second; the page says time is up when it has run out
    page.wait_for_function(
        "() => document.querySelector('[data-testid=save-status]').textContent.includes('时间到')",
        timeout=5000,
    )
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == AttemptState.IN_PROGRESS
    # The connection returns this long after the deadline (the grace period is 30 seconds).
    with clock.travel(seconds=left + late_seconds):
        page.context.set_offline(False)
        page.wait_for_url(re.compile(r".*/review$"), timeout=15_000)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state != AttemptState.IN_PROGRESS
    saved = {r.slot: r.value for r in load_responses(attempt)}
    assert (saved[field[0]] is not None) is counted


def test_a_flag_survives_a_reload_and_shows_on_a_second_device(
    app, new_page, browser_login, make_enrolment
):
    paged_exam()
    trainee = make_enrolment().user
    page = browser_login(new_page(), trainee)
    attempt = start(page, "start-pre-job-exam")
    first = load_responses(attempt)[0].slot
    page.locator(f'label[for="flag-{first}"]').click()
    page.wait_for_selector("[data-testid=save-status][data-state=saved]")
    page.reload()
    assert page.locator(f"#flag-{first}").is_checked()
    assert "flagged" in page.locator("[data-testid=qnav-1]").get_attribute("class").split()
    phone = browser_login(new_page(viewport=PHONE), trainee)
    phone.goto(f"/attempts/{attempt.id}")
    assert phone.locator(f"#flag-{first}").is_checked()


def test_the_keyboard_moves_between_questions_and_pages(
    app, new_page, browser_login, make_enrolment
):
    paged_exam(per_page=2)
    page = browser_login(new_page(), make_enrolment().user)
    attempt = start(page, "start-pre-job-exam")
    slots = [r.slot for r in load_responses(attempt)]
    page.focus("[data-testid=qnav-1]")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "qnav-3"
    page.keyboard.press("Enter")  # question 3 is on page 2
    page.wait_for_selector('.quiz-page[data-page="2"]:not([hidden])')
    assert page.evaluate("() => document.activeElement.id") == f"question-{slots[2]}"
    page.keyboard.press("Alt+PageDown")
    assert page.evaluate("() => document.activeElement.id") == f"question-{slots[3]}"
    page.keyboard.press("Alt+PageDown")  # on to page 3
    page.wait_for_selector('.quiz-page[data-page="3"]:not([hidden])')
    assert page.evaluate("() => document.activeElement.id") == f"question-{slots[4]}"
    page.keyboard.press("Alt+PageUp")
    page.wait_for_selector('.quiz-page[data-page="2"]:not([hidden])')
    assert page.locator("[data-testid=qnav-4]").get_attribute("aria-current") == "true"


def test_answers_queued_before_the_tab_closed_are_sent_when_the_exam_reopens(
    app, new_page, browser_login, make_enrolment
):
    paged_exam()
    page = browser_login(new_page(), make_enrolment().user)
    attempt = start(page, "start-pre-job-exam")
    field = next(f for f in browser_fields(attempt) if f[1] in ("single_choice", "true_false"))
    context = page.context
    context.set_offline(True)
    enter(page, field)
    page.wait_for_selector("[data-testid=save-status][data-state=offline]")
    page.close()  # the tab is closed while the connection is down
    context.set_offline(False)
    reopened = context.new_page()
    reopened.goto(f"/attempts/{attempt.id}")
    reopened.wait_for_selector("[data-testid=save-status][data-state=saved]")
    assert reopened.locator(f'[name="{field[2]}"][value="{field[3]}"]').is_checked()
    db.session.expire_all()
    saved = {r.slot: r.value for r in load_responses(attempt)}
    assert saved[field[0]] is not None

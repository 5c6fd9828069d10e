"""In Chromium: a trainee sits the real pre-job exam (reloading mid-attempt keeps the answers),
submits, reads the review; a trainer grades the essay and the trainee's stage moves on."""

import re

from sqlalchemy import select

from trainer.extensions import db
from trainer.permissions import Role
from trainer.quizzes.demo import model_answer
from trainer.quizzes.library import load_question_banks
from trainer.quizzes.models import Attempt, AttemptState
from trainer.quizzes.question_types import get_question_type
from trainer.quizzes.services import load_responses
from trainer.training.models import Enrolment
from trainer.training.stages import Stage


def browser_fields(attempt) -> list[tuple[int, str, str, str]]:
    """(slot, type, field name, value) a well-trained trainee would enter, in page order."""
    db.session.expire_all()
    fields = []
    for response in load_responses(attempt):
        version = response.version
        kind = get_question_type(version.type)
        answer = model_answer(version.type, version.payload)
        for suffix, values in kind.form_values(version.payload, response.layout, answer).items():
            name = f"q-{response.slot}" + (f"-{suffix}" if suffix else "")
            fields += [(response.slot, version.type, name, value) for value in values]
    return fields


def enter(page, field) -> None:
    _slot, _qtype, name, value = field
    control = page.locator(f'[name="{name}"]').first
    tag = control.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
    if tag in ("input:radio", "input:checkbox"):
        page.locator(f'[name="{name}"][value="{value}"]').check()
    elif tag.startswith("select"):
        control.select_option(value)
    else:
        control.fill(value)


def test_trainee_takes_the_pre_job_exam_and_a_trainer_grades_the_essay(
    app, new_page, browser_login, make_enrolment, make_user, screenshot
):
    load_question_banks()
    db.session.commit()
    enrolment = make_enrolment()
    trainee = enrolment.user
    assert enrolment.stage == Stage.PRE_JOB_TRAINING

    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "submit your answers?"
    browser_login(page, trainee)
    page.goto("/quizzes")
    page.click("[data-testid=start-pre-job-exam]")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == trainee.id))
    html = page.content()
    assert "fraction" not in html and "rubric" not in html  # nothing of the key in the page

    fields = browser_fields(attempt)
    half = len(fields) // 2
    for field in fields[:half]:
        enter(page, field)
    page.wait_for_selector("[data-testid=save-status][data-state=saved]")
    screenshot(page, "attempt-saved")

    page.reload()
    for _slot, qtype, name, value in fields[:half]:
        control = page.locator(f'[name="{name}"]').first
        if qtype in ("single_choice", "multiple_choice", "true_false"):
            assert page.locator(f'[name="{name}"][value="{value}"]').is_checked(), name
        else:
            assert control.input_value() == value, name

    for field in fields[half:]:
        enter(page, field)
    essay = page.locator("[data-type=essay] textarea")
    essay.fill(
        "先起身接待、引导到接待区安抚；倾听、致歉；复述确认并查询记录；当面请值班经理并完整交接；约定回复时限，登记台账。"
    )
    page.click("[data-testid=submit-attempt]")
    page.wait_for_url(re.compile(r".*/attempts/\d+/review$"))
    assert page.locator("[data-testid=review-item]").count() == len(load_responses(attempt))
    assert page.locator("[data-testid=study-link]").count() > 0
    assert "complaint_handling.escalate_to_duty_manager" in page.content()
    screenshot(page, "review")

    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == AttemptState.SUBMITTED
    assert db.session.get(Enrolment, enrolment.id).stage == Stage.PRE_JOB_TRAINING

    trainer = make_user(Role.TRAINER)
    grader = new_page()
    browser_login(grader, trainer)
    grader.goto("/manage/grading")
    grader.locator("[data-testid=grading-queue] a").first.click()
    assert "值班经理" in grader.locator("[data-testid=essay-answer]").inner_text()
    grader.fill("input[name=points]", "5")
    grader.fill("textarea[name=comment]", "流程完整，交接规范。")
    grader.click("[data-testid=save-grade]")
    grader.wait_for_url(re.compile(r".*/manage/grading$"))

    db.session.expire_all()
    graded = db.session.get(Attempt, attempt.id)
    assert graded.state == AttemptState.GRADED and graded.passed
    assert db.session.get(Enrolment, enrolment.id).stage == Stage.PRE_JOB_PASSED

    page.goto(f"/attempts/{attempt.id}/review")
    assert page.locator("[data-testid=result-passed]").is_visible()
    assert "流程完整，交接规范。" in page.content()
    screenshot(page, "review-graded")


def test_two_tabs_submitting_give_one_graded_attempt(app, new_page, browser_login, make_enrolment):
    load_question_banks()
    db.session.commit()
    trainee = make_enrolment().user
    first = new_page()
    for tab in (first,):
        tab.on("dialog", lambda dialog: dialog.accept())
    browser_login(first, trainee)
    first.goto("/quizzes")
    first.click("[data-testid=start-practice-procedures]")
    first.wait_for_url(re.compile(r".*/attempts/\d+$"))
    second = first.context.new_page()
    second.on("dialog", lambda dialog: dialog.accept())
    second.goto(first.url)
    first.click("[data-testid=submit-attempt]")
    first.wait_for_url(re.compile(r".*/review$"))
    second.click("[data-testid=submit-attempt]")
    second.wait_for_url(re.compile(r".*/review$"))
    second.go_back()  # the back button lands on the attempt, which now shows the review
    second.wait_for_url(re.compile(r".*/review$"))
    db.session.expire_all()
    attempts = db.session.scalars(select(Attempt).where(Attempt.user_id == trainee.id)).all()
    assert len(attempts) == 1 and attempts[0].state == AttemptState.GRADED


def test_autosave_survives_a_network_blip(app, new_page, browser_login, make_enrolment):
    load_question_banks()
    db.session.commit()
    trainee = make_enrolment().user
    page = new_page()
    browser_login(page, trainee)
    page.goto("/quizzes")
    page.click("[data-testid=start-practice-procedures]")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == trainee.id))
    first, *_ = browser_fields(attempt)
    page.context.set_offline(True)
    enter(page, first)
    page.wait_for_selector("[data-testid=save-status][data-state=offline]")
    page.context.set_offline(False)
    page.wait_for_selector("[data-testid=save-status][data-state=saved]", timeout=15_000)
    db.session.expire_all()
    saved = {r.slot: r.value for r in load_responses(attempt)}
    assert saved[first[0]] is not None

"""axe-core on the main pages: no serious or critical accessibility violations."""

import re

import pytest
from sqlalchemy import select

from tests.e2e.test_quiz_exam import browser_fields
from trainer.accounts.models import User
from trainer.certificates.models import Certificate
from trainer.coaching.models import CoachingRecord
from trainer.extensions import db
from trainer.internship.models import Placement
from trainer.permissions import Role
from trainer.quizzes.library import load_question_banks
from trainer.quizzes.models import Attempt
from trainer.quizzes.quiz_setup import upsert_quiz
from trainer.seeding import DEMO_PASSWORD
from trainer.training.models import Enrolment, Programme
from trainer.training.stages import Stage

PAGES_BY_ROLE = {
    Role.TRAINEE: ["/", "/my/path", "/account/password"],
    Role.TRAINER: ["/", "/cohorts", "/cohorts/new", "/audit/"],
    Role.ADMIN: ["/", "/admin/users", "/admin/users/new", "/admin/halls"],
}


def test_login_page_has_no_serious_violations(new_page, serious_a11y_violations):
    page = new_page(bypass_csp=True)
    page.goto("/login")
    assert serious_a11y_violations(page) == []


@pytest.mark.parametrize("role", list(PAGES_BY_ROLE), ids=str)
def test_main_pages_have_no_serious_violations(
    new_page, browser_login, make_user, make_enrolment, serious_a11y_violations, role
):
    user = make_user(role)
    if role is Role.TRAINEE:
        make_enrolment(trainee=user)
    page = browser_login(new_page(bypass_csp=True), user)
    found = {}
    for path in PAGES_BY_ROLE[role]:
        page.goto(path)
        if violations := serious_a11y_violations(page):
            found[path] = violations
    assert found == {}


# ---- every feature's main pages, over the shipped library and the demo data ---------------


@pytest.fixture
def demo(demo_data):
    """The shipped library and the demo data (a snapshot built once per run)."""


def employee(employee_no: str) -> User:
    return db.session.scalar(select(User).where(User.employee_no == employee_no))


def enrolment_at(stage: Stage) -> Enrolment:
    return db.session.scalars(select(Enrolment).where(Enrolment.stage == stage)).first()


def check_pages(new_page, serious_a11y_violations, user, paths, prepare=None) -> dict:
    page = new_page(bypass_csp=True)
    page.goto("/login")
    page.fill("input[name=employee_no]", user.employee_no)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(\?.*)?$"))
    found = {}
    if prepare:
        paths = paths + prepare(page)
    for path in paths:
        page.goto(path)
        if violations := serious_a11y_violations(page):
            found[path] = violations
    return found


def start_practice_quiz_and_drill(page) -> list[str]:
    """An attempt page, its review, and a drill in progress of this trainee."""
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/quizzes")
    page.click("[data-testid=start-practice-procedures]")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    attempt_url = page.url.replace(page.url.split("/attempts")[0], "")
    page.goto("/drills")
    page.click("[data-testid=practice-bill_payment_queue]")
    page.wait_for_url(re.compile(r".*/drills/sessions/\d+"))
    drill_url = page.url.replace(page.url.split("/drills")[0], "")
    page.goto(attempt_url)
    page.click("[data-testid=submit-attempt]")
    page.wait_for_url(re.compile(r".*/review$"))
    return [attempt_url, f"{attempt_url}/review", drill_url]


# A crawl of every feature in the browser (about a minute): CI runs it (see `slow`).
@pytest.mark.slow
def test_every_feature_main_page_has_no_serious_violations(new_page, serious_a11y_violations, demo):
    training = enrolment_at(Stage.PRE_JOB_TRAINING)
    certified = enrolment_at(Stage.CERTIFIED)
    interning = enrolment_at(Stage.INTERNING)
    placement = db.session.scalar(
        select(Placement)
        .where(Placement.enrolment_id == interning.id)
        .order_by(Placement.id.desc())
    )
    mentor = db.session.get(User, placement.mentor_id)
    task_id = placement.plan.tasks[0].id
    certificate = db.session.scalars(select(Certificate)).first()
    record = db.session.scalars(select(CoachingRecord)).first()
    cohort_id = certified.cohort_id
    found = {}
    found |= check_pages(
        new_page,
        serious_a11y_violations,
        training.user,
        [
            "/",
            "/modules",
            "/modules/conduct",
            "/procedures",
            "/procedures/open_account",
            "/procedures/open_account/card",
            "/phrases/check",
            "/drills",
            "/quizzes",
            "/reports/me",
            "/recognition/honours",
        ],
        prepare=start_practice_quiz_and_drill,
    )
    found |= check_pages(new_page, serious_a11y_violations, certified.user, ["/", "/internship/my"])
    found |= check_pages(
        new_page,
        serious_a11y_violations,
        mentor,
        [
            "/",
            "/internship/mentees",
            f"/internship/mentees/{interning.id}",
            f"/internship/mentees/{interning.id}/tasks/{task_id}",
            "/coaching/",
            f"/coaching/new/{interning.user_id}",
            "/reports/",
            "/recognition/",
        ],
    )
    found |= check_pages(
        new_page,
        serious_a11y_violations,
        employee("T0001"),
        [
            "/certificates",
            f"/certificates/{certificate.id}",
            "/reports/",
            f"/reports/cohorts/{cohort_id}",
            f"/reports/trainees/{certified.user_id}",
            "/roleplay/review",
            "/roleplay/sessions",
            "/manage/grading",
            "/manage/banks",
            "/manage/quizzes",
            "/internship/",
            "/internship/plans",
            "/coaching/",
            f"/coaching/{record.id}",
            "/recognition/",
            "/phrases/",
        ],
    )
    visitor = new_page(bypass_csp=True)
    for path in (f"/verify/{certificate.verification_code}", "/verify"):
        visitor.goto(path)
        if violations := serious_a11y_violations(visitor):
            found[path] = violations
    assert found == {}


# ---- an exam with the keyboard only --------------------------------------------------------


def focus_by_tab(page, selector: str, limit: int = 300) -> None:
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def choose_radio_by_arrows(page, name: str, value: str) -> None:
    focus_by_tab(page, f'input[type=radio][name="{name}"]')
    for _ in range(12):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.locator(f'input[name="{name}"][value="{value}"]').is_checked()


def test_an_exam_completed_with_the_keyboard_only(new_page, browser_login, make_enrolment, db):
    load_question_banks()
    programme = db.session.scalar(select(Programme))
    upsert_quiz(
        None,
        programme,
        {
            "key": "keyboard-check",
            "title": "键盘练习",
            "purpose": "practice",
            "rules": [
                {"question": "first_inquiry/fi-definition"},
                {"question": "first_inquiry/fi-not-my-job"},
            ],
        },
    ).published = True
    db.session.commit()
    trainee = make_enrolment().user
    page = browser_login(new_page(), trainee)
    page.on("dialog", lambda dialog: dialog.accept())  # the browser's own confirm: Enter-equivalent
    page.goto("/quizzes")
    focus_by_tab(page, "[data-testid=start-keyboard-check]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    attempt = db.session.get(Attempt, int(page.url.rsplit("/", 1)[1]))
    fields = browser_fields(attempt)
    assert {f[1] for f in fields} == {"single_choice", "true_false"}
    for _slot, _type, name, value in fields:
        choose_radio_by_arrows(page, name, value)
    page.wait_for_selector("[data-testid=save-status][data-state=saved]")
    focus_by_tab(page, "[data-testid=submit-attempt]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/review$"))
    assert page.locator("[data-testid=result-passed]").is_visible()

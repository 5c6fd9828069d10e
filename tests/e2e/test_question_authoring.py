"""A trainer writes questions through the forms, previews them, builds a quiz from a fixed
question and a random rule, previews it; bulk usage changes update the builder's count."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import func, select

from tests.e2e.test_quiz_exam import browser_fields, enter
from trainer.extensions import db
from trainer.permissions import Role
from trainer.quizzes.banks import import_questions
from trainer.quizzes.models import Attempt, Question, QuestionBank, Quiz
from trainer.quizzes.questions import normalise_question
from trainer.roleplay import library_refs
from trainer.roleplay.services import load_scenarios

SAVED = re.compile(r".*/manage/questions/\d+$")


def make_bank(count: int = 0, category: str = "e2e/phrases") -> QuestionBank:
    questions = [
        normalise_question(
            {
                "key": f"tf{n}",
                "type": "true_false",
                "category": category,
                "text": f"第{n}题：遇到不会的问题可以说“不知道”。",
                "answer": False,
            }
        )
        for n in range(max(count, 1))
    ]
    summary = import_questions(None, "e2e_bank", questions, title="端到端题库")
    db.session.commit()
    return summary.bank


def start_question(page, bank, qtype: str, text: str, category: str = "e2e/forms") -> None:
    page.goto(f"/manage/banks/{bank.id}/questions/new")
    page.select_option("[data-testid=question-type]", qtype)
    page.fill("#text", text)
    page.fill("#category", category)


def rows(page, name: str):
    return page.locator(f'[data-section]:not([hidden]) [name="{name}"]')


def save(page) -> None:
    """Save the editor's question; if the page stays on the form, fail naming its errors."""
    page.click("[data-testid=save-question]")
    try:
        page.wait_for_url(SAVED, timeout=20_000)
    except PlaywrightTimeoutError:
        shown = page.locator(".invalid-feedback, .alert, [role=alert]").all_inner_texts()
        raise AssertionError(f"not saved, still on {page.url}: {shown}") from None


def saved_id(page) -> int:
    return int(page.url.rsplit("/", 1)[1])


# The whole authoring journey in the browser: CI runs it (see `slow`).
@pytest.mark.slow
def test_trainer_writes_every_type_builds_a_quiz_publishes_it_and_a_trainee_takes_it(
    new_page, browser_login, make_user, make_cohort, make_enrolment, screenshot
):
    load_scenarios(library_refs.SCENARIOS_DIR)
    db.session.commit()
    bank = make_bank()
    cohort, other = make_cohort(name="2026年第3期"), make_cohort(name="2026年第4期")
    trainee, outsider = make_enrolment(cohort=cohort).user, make_enrolment(cohort=other).user
    page = new_page()
    browser_login(page, make_user(Role.TRAINER))
    written = {}

    # single choice: the two starting rows; a bad grade first, the message names the row
    start_question(page, bank, "single_choice", "客户问到你不会的问题时，应该说？")
    rows(page, "choice-text").nth(0).fill("请稍等，我帮您查询一下")
    rows(page, "choice-text").nth(1).fill("不知道")
    rows(page, "choice-grade").nth(0).fill("50")
    page.click("[data-testid=save-question]")
    assert "必须恰好有一个选项得 100%" in page.locator("[data-testid=question-errors]").inner_text()
    rows(page, "choice-grade").nth(0).fill("100")
    page.click("[data-testid=add-choices]")
    rows(page, "choice-text").nth(2).fill("你去问别人")
    rows(page, "choice-feedback").nth(2).fill("违反首问负责制")
    save(page)
    written["single_choice"] = saved_id(page)

    # multiple choice with partial credit, one row moved up
    start_question(page, bank, "multiple_choice", "下列哪些是规范服务用语？")
    for n, (text, grade) in enumerate([("让您久等了", "50"), ("急什么", "-100")]):
        rows(page, "choice-text").nth(n).fill(text)
        rows(page, "choice-grade").nth(n).fill(grade)
    page.click("[data-testid=add-choices]")
    rows(page, "choice-text").nth(2).fill("您好，请问有什么可以帮您？")
    rows(page, "choice-grade").nth(2).fill("50")
    page.locator("[data-section]:not([hidden]) [data-row]").nth(2).locator("[data-move=up]").click()
    save(page)
    written["multiple_choice"] = saved_id(page)

    # every other type through its own section
    start_question(page, bank, "true_false", "首问负责制下，可以让客户去找别的同事。")
    page.check("#tf-false")
    save(page)
    written["true_false"] = saved_id(page)

    start_question(page, bank, "short_answer", "开户时必须核验客户本人的哪种证件原件？")
    page.click("[data-testid=add-answers]")
    rows(page, "answer-text").nth(0).fill("身份证")
    save(page)
    written["short_answer"] = saved_id(page)

    start_question(page, bank, "numerical", "携号转网两次之间至少相隔多少天？")
    page.click("[data-testid=add-numbers]")
    rows(page, "number-value").nth(0).fill("120")
    save(page)
    written["numerical"] = saved_id(page)

    start_question(page, bank, "matching", "把禁语和应说的话配对。")
    for n, (left, right) in enumerate([("不知道", "请稍等，我帮您查询一下"), ("快点", "请您稍候")]):
        page.click("[data-testid=add-pairs]")
        rows(page, "pair-left").nth(n).fill(left)
        rows(page, "pair-right").nth(n).fill(right)
    save(page)
    written["matching"] = saved_id(page)

    start_question(page, bank, "ordering", "把开户步骤排好顺序。")
    for n, item in enumerate(["实名核验", "签署协议", "写卡激活"]):
        page.click("[data-testid=add-items]")
        rows(page, "item").nth(n).fill(item)
    save(page)
    written["ordering"] = saved_id(page)

    start_question(page, bank, "cloze", "补卡须核验{1}。")
    page.click("[data-testid=add-blanks]")
    rows(page, "blank-correct").nth(0).fill("身份证原件 | 身份证")
    page.locator("[data-testid=text-preview]").filter(has_text="补卡须核验").wait_for()
    save(page)
    written["cloze"] = saved_id(page)
    screenshot(page, "question-form")

    # hand-graded types in a category of their own: random rules never draw them anyway
    start_question(page, bank, "essay", "客户大声吵闹时，写出你的处理过程。", "e2e/manual")
    page.fill("#rubric", "致歉、倾听、核实、解决或升级、回访")
    save(page)
    written["essay"] = saved_id(page)

    start_question(page, bank, "roleplay", "请回复客户。", "e2e/manual")
    turn = page.locator("[data-section]:not([hidden]) select[name=option]")
    turn.select_option(index=1)
    save(page)
    written["roleplay"] = saved_id(page)

    # each previewed as a trainee sees it; the single choice marked in memory
    for qtype, question_id in written.items():
        page.goto(f"/manage/questions/{question_id}/preview")
        assert page.locator("fieldset.question").count() == 1, qtype
    page.goto(f"/manage/questions/{written['single_choice']}/preview")
    page.get_by_label("请稍等，我帮您查询一下").check()
    page.click("[data-testid=preview-check]")
    assert "1 / 1" in page.locator("[data-testid=preview-result]").inner_text()

    # the quiz: one fixed question from the picker, one random rule with its live count,
    # published to one cohort
    page.goto("/manage/quizzes/new")
    page.fill("#key", "e2e-built")
    page.fill("#title", "组卷练习")
    page.select_option("#purpose", "practice")
    page.fill("#pass_percent", "70")
    page.select_option("#cohort_ids", str(cohort.id))
    page.fill("[data-testid=picker-search]", "配对")
    page.click("[data-testid=picker-go]")
    page.locator("[data-testid=picker-results] button").first.click()
    page.click("[data-testid=add-random-rule]")
    page.fill("[data-testid=rule-category]", "e2e/forms")
    page.fill("[data-testid=rule-count]", "9")
    available = page.locator("[data-testid=rule-available]")
    available.filter(has_text="不够").wait_for()
    assert "可抽 7 道题" in available.inner_text()  # eight written, the matching one is fixed
    page.click("[data-testid=save-quiz]")
    assert (
        "只有 7 道本测验可抽的题，需要 9 道"
        in page.locator("[data-testid=rule-error]").inner_text()
    )  # next to the rule's own fields
    page.fill("[data-testid=rule-count]", "3")
    page.click("[data-testid=save-quiz]")
    page.wait_for_url(re.compile(r".*/manage/quizzes/\d+$"))
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "e2e-built"))
    assert [(r.question_id is not None, r.count) for r in quiz.rules] == [(True, 1), (False, 3)]
    assert [c.id for c in quiz.cohorts] == [cohort.id]

    page.goto(f"/manage/quizzes/{quiz.id}/preview")
    assert page.locator("fieldset.question").count() == 4
    page.click("[data-testid=preview-check]")
    assert "0 / 4" in page.locator("[data-testid=preview-result]").inner_text()
    screenshot(page, "quiz-preview")
    assert db.session.scalar(select(func.count(Attempt.id))) == 0  # the preview recorded nothing

    # a trainee of another cohort is not offered it
    elsewhere = new_page()
    browser_login(elsewhere, outsider)
    elsewhere.goto("/quizzes")
    assert elsewhere.locator("[data-testid=start-e2e-built]").count() == 0

    # the cohort's trainee answers all but the fixed matching question: 3 of 4 marks
    taker = new_page()
    taker.on("dialog", lambda dialog: dialog.accept())
    browser_login(taker, trainee)
    taker.goto("/quizzes")
    taker.click("[data-testid=start-e2e-built]")
    taker.wait_for_url(re.compile(r".*/attempts/\d+$"))
    attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == trainee.id))
    for field in browser_fields(attempt):
        if field[1] != "matching":
            enter(taker, field)
    taker.click("[data-testid=submit-attempt]")
    taker.wait_for_url(re.compile(r".*/attempts/\d+/review$"))
    assert taker.locator("[data-testid=score]").inner_text() == "3 / 4"
    assert taker.locator("[data-testid=result-passed]").is_visible()  # 75 % ≥ the 70 % mark
    db.session.expire_all()
    graded = db.session.get(Attempt, attempt.id)
    assert (graded.score, graded.max_score, graded.percent) == (3, 4, 75)


def test_bulk_usage_change_updates_the_random_rule_count(page, browser_login, make_user):
    make_bank(count=25, category="e2e/bulk")
    browser_login(page, make_user(Role.TRAINER))
    page.goto("/manage/quizzes/new")
    page.select_option("#purpose", "practice")
    page.click("[data-testid=add-random-rule]")
    page.fill("[data-testid=rule-category]", "e2e/bulk")
    available = page.locator("[data-testid=rule-available]")
    available.filter(has_text="可抽 25 道题").wait_for()

    page.goto("/manage/questions?category=e2e/bulk&sort=oldest")
    boxes = page.locator("[data-testid=question-row] input[name=ids]")
    for n in range(20):
        boxes.nth(n).check()
    page.select_option("[data-testid=bulk-action]", "usage")
    page.fill("[data-testid=bulk-value]", "exam")
    page.click("[data-testid=bulk-apply]")
    page.wait_for_load_state()
    assert "已修改 20 道题" in page.locator(".alert").first.inner_text()
    db.session.expire_all()
    assert len(db.session.scalars(select(Question).where(Question.usage == "exam")).all()) == 20

    page.goto("/manage/quizzes/new")
    page.select_option("#purpose", "practice")
    page.click("[data-testid=add-random-rule]")
    page.fill("[data-testid=rule-category]", "e2e/bulk")
    available.filter(has_text="可抽 5 道题").wait_for()
    page.select_option("#purpose", "final")  # an exam draws the exam-only ones
    available.filter(has_text="可抽 20 道题").wait_for()
    page.select_option("#purpose", "practice")  # a practice rule asking for exam-only: none
    page.select_option("[data-testid=rule-usage]", "exam")
    available.filter(has_text="可抽 0 道题").wait_for()
    page.select_option("[data-testid=rule-usage]", "practice")
    available.filter(has_text="可抽 0 道题").wait_for()  # the five left are "both"
    page.select_option("[data-testid=rule-usage]", "both")
    available.filter(has_text="可抽 5 道题").wait_for()


def test_the_authoring_pages_have_no_serious_accessibility_violations(
    new_page, browser_login, make_user, serious_a11y_violations, screenshot
):
    bank = make_bank(count=3)
    question = db.session.scalar(select(Question).where(Question.key == "tf0"))
    page = new_page(bypass_csp=True)  # only to inject axe-core
    browser_login(page, make_user(Role.TRAINER))
    found = {}
    for path in (
        "/manage/questions",
        "/manage/categories",
        f"/manage/banks/{bank.id}/questions/new",
        f"/manage/questions/{question.id}",
        f"/manage/questions/{question.id}/preview",
        "/manage/questions?facility=none",
        "/manage/quizzes/new",
    ):
        page.goto(path)
        if violations := serious_a11y_violations(page):
            found[path] = violations
    # the builder showing a rule that cannot be filled, its error next to its fields
    page.fill("#key", "a11y")
    page.fill("#title", "无障碍")
    page.click("[data-testid=add-random-rule]")
    page.fill("[data-testid=rule-category]", "e2e/phrases")
    page.fill("[data-testid=rule-tag]", "无此标签")
    page.click("[data-testid=save-quiz]")
    page.locator("[data-testid=rule-error]").wait_for()
    screenshot(page, "rule-error")
    if violations := serious_a11y_violations(page):
        found["quiz form with a rule error"] = violations
    assert found == {}


def test_a_choice_row_is_added_and_moved_with_the_keyboard_alone(page, browser_login, make_user):
    bank = make_bank()
    browser_login(page, make_user(Role.TRAINER))
    page.goto(f"/manage/banks/{bank.id}/questions/new")
    page.locator("[data-testid=add-choices]").focus()
    page.keyboard.press("Enter")  # the new row's text gets the focus
    page.keyboard.type("第三个选项")
    assert rows(page, "choice-text").nth(2).input_value() == "第三个选项"
    page.locator("[data-section]:not([hidden]) [data-row]").nth(2).locator("[data-move=up]").focus()
    page.keyboard.press("Enter")
    assert rows(page, "choice-text").nth(1).input_value() == "第三个选项"

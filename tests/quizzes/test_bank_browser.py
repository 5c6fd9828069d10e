"""The bank browser: filters in SQL, bulk changes, duplicate, where-used, categories."""

import pytest
from sqlalchemy import select

from tests.quizzes.test_attempts import answer_everything
from trainer.permissions import Role
from trainer.quizzes import bank_browser
from trainer.quizzes.bank_browser import (
    BulkError,
    Filters,
    bulk_change,
    category_tree,
    duplicate_question,
    rename_category,
    search,
    where_used,
)
from trainer.quizzes.models import Purpose, Question, QuizRule, Usage
from trainer.quizzes.services import save_answers, start_attempt, submit_attempt


def keys(page) -> set[str]:
    return {row.key for row in page.rows}


def test_search_finds_text_in_the_current_version(db, bank):
    assert keys(search(Filters(text="禁语和应说的话"))) == {"match"}


def test_a_category_filter_takes_its_subcategories(db, bank):
    assert keys(search(Filters(category="procedures"))) == {"sa", "num", "order", "cloze"}


def test_filters_by_type_and_usage_and_tag(db, bank, make_user):
    trainer = make_user(Role.TRAINER)
    ids = [q.id for q in db.session.scalars(select(Question).where(Question.key.in_(["sa", "tf"])))]
    bulk_change(trainer, ids, "usage", "exam")
    bulk_change(trainer, ids, "tag", "重点")
    assert keys(search(Filters(usage="exam"))) == {"sa", "tf"}
    assert keys(search(Filters(tag="重点", type="true_false"))) == {"tf"}


def test_never_used_leaves_out_fixed_questions(db, make_quiz):
    make_quiz(keys=["sc"])
    assert "sc" not in keys(search(Filters(never_used=True)))
    assert "tf" in keys(search(Filters(never_used=True)))


def test_pages_are_cut_in_sql(db, bank):
    first, second = search(Filters(sort="oldest"), 1, size=4), search(Filters(sort="oldest"), 2, 4)
    assert (
        first.total == second.total == len(first.rows) + len(second.rows) + max(0, first.total - 8)
    )
    assert not keys(first) & keys(second)


def test_archived_questions_leave_the_list(db, bank, make_user):
    question = db.session.scalar(select(Question).where(Question.key == "tf"))
    bulk_change(make_user(Role.TRAINER), [question.id], "archive")
    assert "tf" not in keys(search(Filters()))
    assert keys(search(Filters(archived=True))) == {"tf"}


def test_a_bulk_move_without_a_category_is_refused(db, bank, make_user):
    question = db.session.scalar(select(Question).where(Question.key == "tf"))
    try:
        bulk_change(make_user(Role.TRAINER), [question.id], "move", " ")
    except BulkError as exc:
        assert str(exc) == "Choose a category."
    else:
        raise AssertionError("accepted")


def test_duplicating_makes_a_new_question_with_the_same_content(db, bank, make_user):
    question = db.session.scalar(select(Question).where(Question.key == "mc"))
    copy = duplicate_question(make_user(Role.TRAINER), question)
    assert (copy.key, copy.current.payload) == ("mc-copy", question.current.payload)


def test_where_used_names_quizzes_that_fix_or_draw_the_question(db, make_quiz):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc"])
    quiz.rules.append(QuizRule(position=5, category="procedures", count=1))
    db.session.flush()
    sa = db.session.scalar(select(Question).where(Question.key == "sa"))
    sc = db.session.scalar(select(Question).where(Question.key == "sc"))
    assert where_used(sc)["fixed"] == [quiz] and where_used(sa)["drawn"] == [quiz]


def test_renaming_a_category_moves_questions_subcategories_and_rules(db, make_quiz, make_user):
    quiz = make_quiz(keys=["sc"])
    quiz.rules.append(QuizRule(position=5, category="procedures", count=1))
    db.session.flush()
    moved = rename_category(make_user(Role.TRAINER), "procedures", "业务流程")
    assert moved == 4
    assert {n["path"] for n in category_tree()} >= {"业务流程", "业务流程/open_account"}
    assert quiz.rules[-1].category == "业务流程"


def test_bulk_usage_change_through_the_page(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    ids = list(db.session.scalars(select(Question.id).order_by(Question.id)))[:3]
    response = client.post(
        "/manage/questions/bulk",
        data={"ids": [str(i) for i in ids], "action": "usage", "value": "exam"},
    )
    assert response.status_code == 302
    assert (
        db.session.scalars(select(Question.usage).where(Question.id.in_(ids))).all()
        == [Usage.EXAM] * 3
    )
    page = client.get("/manage/questions?usage=exam").get_data(as_text=True)
    assert page.count('data-testid="question-row"') == 3


def test_exporting_a_selection_changes_nothing(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    ids = [str(q.id) for q in db.session.scalars(select(Question).where(Question.key == "tf"))]
    response = client.post("/manage/questions/bulk", data={"ids": ids, "action": "export:yaml"})
    assert response.status_code == 200 and "首问负责制" in response.get_data(as_text=True)


# ---- facility (item analysis's proportion correct) -----------------------------------------


@pytest.fixture
def answered(db, make_quiz, trainee_in_training):
    """sc answered right once (100 %), tf wrong once (0 %), mc right once and wrong once (50 %);
    `order` only in an attempt still in progress, which does not count."""
    user = trainee_in_training.user
    for keys, well in ((["sc"], True), (["tf"], False), (["mc"], True), (["mc"], False)):
        quiz = make_quiz(Purpose.PRACTICE, keys=keys)
        attempt = start_attempt(user, quiz)
        save_answers(attempt, *answer_everything(attempt, well=well))
        submit_attempt(attempt, user)
        db.session.commit()
    open_attempt = start_attempt(user, make_quiz(Purpose.PRACTICE, keys=["order"]))
    save_answers(open_attempt, *answer_everything(open_attempt))
    db.session.commit()


BANDS = [
    ("low", {"tf"}),
    ("mid", {"mc"}),
    ("high", {"sc"}),
    ("none", {"sa", "num", "match", "order", "cloze", "essay"}),
]


@pytest.mark.parametrize(("band", "expected"), BANDS)
def test_the_facility_filter_takes_graded_attempts_only(db, answered, band, expected):
    assert keys(search(Filters(facility=band))) == expected


@pytest.mark.parametrize(("band", "expected"), BANDS)
def test_a_bank_too_large_to_list_selects_its_band_in_sql(
    db, answered, monkeypatch, band, expected
):
    monkeypatch.setattr(bank_browser, "MAX_LISTED", 0)  # as with more than 20,000 measured
    assert keys(search(Filters(facility=band))) == expected


def test_each_row_shows_its_facility(db, answered):
    facility = {row.key: row.facility for row in search(Filters()).rows}
    assert (facility["sc"], facility["tf"], facility["mc"], facility["order"]) == (1, 0, 0.5, None)


def test_the_facility_band_comes_from_the_page_address(db, answered, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    html = client.get("/manage/questions?facility=mid").get_data(as_text=True)
    assert html.count('data-testid="question-row"') == 1 and 'data-key="mc"' in html
    assert '<td class="small" data-testid="facility">50%</td>' in html
    assert Filters.from_args({"facility": "bogus"}).facility == ""


def test_never_used_sorts_and_pages_in_sql(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    everything = [row.key for row in search(Filters(sort="oldest"), 1, size=50).rows]
    html = client.get("/manage/questions?sort=oldest&never_used=1").get_data(as_text=True)
    listed = [
        line.split('data-key="')[1].split('"')[0]
        for line in html.split("\n")
        if 'data-key="' in line
    ]
    assert listed == everything  # nothing used yet, oldest first
    first = search(Filters(sort="oldest", never_used=True), 1, size=4)
    last = search(Filters(sort="oldest", never_used=True), 3, size=4)
    assert (first.pages, [r.key for r in last.rows]) == (3, everything[8:])


def test_a_category_is_moved_under_another_through_the_tree_page(
    db, make_quiz, client, login_as, make_user
):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc"])
    quiz.rules.append(QuizRule(position=5, category="procedures/open_account", count=1))
    db.session.commit()
    login_as(make_user(Role.TRAINER))
    tree = client.get("/manage/categories").get_data(as_text=True)
    assert 'value="procedures/open_account"' in tree
    moved = client.post(
        "/manage/categories/rename",
        data={"old": "procedures/open_account", "new": "业务流程/开户"},
        follow_redirects=True,
    )
    assert "3 questions moved." in moved.get_data(as_text=True)
    assert keys(search(Filters(category="业务流程"))) == {"sa", "num", "order"}
    db.session.expire_all()
    assert quiz.rules[-1].category == "业务流程/开户"
    refused = client.post(
        "/manage/categories/rename",
        data={"old": "业务流程", "new": "业务流程/开户/更深"},
        follow_redirects=True,
    )
    assert "A category cannot move into itself." in refused.get_data(as_text=True)


def test_sorting_by_facility_puts_questions_without_data_last(db, answered):
    hardest = [row.key for row in search(Filters(sort="hardest")).rows]
    easiest = [row.key for row in search(Filters(sort="easiest")).rows]
    assert hardest[:3] == ["tf", "mc", "sc"] and easiest[:3] == ["sc", "mc", "tf"]
    assert set(hardest[3:]) == set(easiest[3:]) == {"sa", "num", "match", "order", "cloze", "essay"}

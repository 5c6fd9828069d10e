"""The bank browser: filters in SQL, bulk changes, duplicate, where-used, categories."""

from sqlalchemy import select

from trainer.permissions import Role
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

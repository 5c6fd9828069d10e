"""The quiz builder: rule rows from the form, the live available count, the picker."""

from flask_babel import force_locale
from sqlalchemy import select

from trainer.permissions import Role
from trainer.quizzes.bank_browser import bulk_change
from trainer.quizzes.models import Question, Quiz
from trainer.quizzes.quiz_builder import available, picker, rules_from_form


def ids_of(db, *keys) -> list[int]:
    return list(db.session.scalars(select(Question.id).where(Question.key.in_(keys))))


def test_the_available_count_follows_usage_and_leaves_out_essays_and_fixed(db, bank, make_user):
    assert available("procedures", "practice") == 4
    bulk_change(make_user(Role.TRAINER), ids_of(db, "sa", "num"), "usage", "exam")
    assert available("procedures", "practice") == 2
    assert available("procedures", "final") == 2
    assert available("procedures", "final", exclude=ids_of(db, "sa")) == 1
    assert available("complaints", "practice") == 0  # the essay is never drawn


def test_a_rule_that_cannot_be_filled_is_named_in_chinese(app, db, bank):
    fields = {
        "rule-kind": ["random"],
        "rule-question": [""],
        "rule-category": ["procedures"],
        "rule-count": ["9"],
    }
    with app.test_request_context(), force_locale("zh_CN"):
        specs, errors = rules_from_form(fields, "practice")
        shown = [str(e) for e in errors]
    assert shown == ["规则 1：分类 procedures 只有 4 道本测验可抽的题，需要 9 道"]


def test_rows_become_specs_in_their_order(app, db, bank):
    [essay] = ids_of(db, "essay")
    fields = {
        "rule-kind": ["random", "fixed"],
        "rule-question": ["", str(essay)],
        "rule-category": ["procedures", ""],
        "rule-count": ["2", "1"],
    }
    with app.test_request_context():
        specs, errors = rules_from_form(fields, "practice")
    assert (specs, errors) == (
        [{"category": "procedures", "count": 2}, {"question": "test_bank/essay"}],
        [],
    )


def test_the_picker_searches_like_the_bank_browser(db, bank):
    assert [q["label"] for q in picker("开户步骤")] == ["把开户步骤排好顺序。 (order)"]


def test_a_trainer_builds_a_quiz_with_a_fixed_question_and_a_random_rule(
    db, bank, client, login_as, make_user
):
    login_as(make_user(Role.TRAINER))
    [essay] = ids_of(db, "essay")
    form = {
        "key": "built-1",
        "title": "组卷",
        "purpose": "practice",
        "pass_percent": "60",
        "grading_method": "highest",
        "review_when": "immediately",
        "published": "y",
        "builder": "1",
        "rule-kind": ["fixed", "random"],
        "rule-question": [str(essay), ""],
        "rule-category": ["", "procedures"],
        "rule-count": ["1", "5"],
    }
    bad = client.post("/manage/quizzes/new", data=form)
    assert "category procedures has 4 questions this quiz may draw, 5 needed" in bad.get_data(
        as_text=True
    )
    form["rule-count"] = ["1", "3"]
    assert client.post("/manage/quizzes/new", data=form).status_code == 302
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "built-1"))
    assert [(r.question_id, r.category, r.count) for r in quiz.rules] == [
        (essay, None, 1),
        (None, "procedures", 3),
    ]
    page = client.get(f"/manage/quizzes/{quiz.id}/edit").get_data(as_text=True)
    assert 'data-testid="rule-random"' in page and 'value="procedures"' in page


def test_the_live_count_is_a_json_get(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    response = client.get("/manage/quizzes/available?category=procedures&purpose=practice")
    assert response.get_json() == {"available": 4}


def test_a_trainer_sets_the_questions_per_page_and_clears_it(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    form = {
        "key": "paged-1",
        "title": "分页组卷",
        "purpose": "practice",
        "pass_percent": "60",
        "grading_method": "highest",
        "published": "y",
        "builder": "1",
        "rule-kind": ["random"],
        "rule-question": [""],
        "rule-category": ["procedures"],
        "rule-count": ["2"],
        "questions_per_page": "3",
    }
    assert client.post("/manage/quizzes/new", data=form).status_code == 302
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "paged-1"))
    assert quiz.questions_per_page == 3
    page = client.get(f"/manage/quizzes/{quiz.id}/edit").get_data(as_text=True)
    assert 'name="questions_per_page"' in page and 'value="3"' in page
    form["questions_per_page"] = ""
    assert client.post(f"/manage/quizzes/{quiz.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Quiz, quiz.id).questions_per_page is None

"""Random rules "N from a category / tag / usage": what they draw, the builder's live count,
the row-level errors when one cannot be filled, and the YAML spec they round-trip to."""

import random

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from trainer.permissions import Role
from trainer.quizzes.bank_browser import bulk_change, where_used
from trainer.quizzes.models import Purpose, Question, Quiz, Usage
from trainer.quizzes.quiz_builder import available, rules_from_form
from trainer.quizzes.quiz_setup import questions_index, rules_as_specs, upsert_quiz, validate_quiz
from trainer.quizzes.services import QuizError, pick_questions


def ids_of(db, *keys) -> list[int]:
    return list(db.session.scalars(select(Question.id).where(Question.key.in_(keys))))


def keys_of(db, ids) -> set[str]:
    return set(db.session.scalars(select(Question.key).where(Question.id.in_(list(ids)))))


@pytest.fixture
def tagged(db, bank, make_user):
    """sa, tf and sc (three categories) and the essay carry the tag 重点."""
    bulk_change(make_user(Role.TRAINER), ids_of(db, "sa", "tf", "sc", "essay"), "tag", "重点")
    db.session.commit()


def quiz(db, programme, purpose: Purpose, rules: list[dict]) -> Quiz:
    made = upsert_quiz(
        None, programme, {"key": "q", "title": "q", "purpose": purpose, "rules": rules}
    )
    db.session.commit()
    return made


def drawn(db, made: Quiz, seeds: int = 30) -> set[str]:
    return keys_of(db, {q for s in range(seeds) for q in pick_questions(made, random.Random(s))})


def row(category="", tag="", usage="", count="1") -> dict:
    return {
        "rule-kind": ["random"],
        "rule-question": [""],
        "rule-category": [category],
        "rule-tag": [tag],
        "rule-usage": [usage],
        "rule-count": [count],
    }


def rows(*many: dict) -> dict:
    return {name: [v for r in many for v in r[name]] for name in many[0]}


def test_a_tag_rule_draws_tagged_questions_of_every_category_but_never_essays(
    db, programme, tagged
):
    made = quiz(db, programme, Purpose.PRACTICE, [{"tag": "重点", "count": 2}])
    assert (made.rules[0].category, made.rules[0].tag) == ("", "重点")
    assert drawn(db, made) == {"sa", "tf", "sc"}


def test_a_usage_rule_narrows_what_the_purpose_allows(db, programme, bank, make_user):
    bulk_change(make_user(Role.TRAINER), ids_of(db, "sa", "num"), "usage", "practice")
    rules = [{"category": "procedures", "usage": "practice", "count": 2}]
    made = quiz(db, programme, Purpose.PRACTICE, rules)
    assert drawn(db, made) == {"sa", "num"}
    assert available("procedures", "practice", usage="practice") == 2
    assert available("procedures", "practice") == 4


def test_drawing_refuses_a_rule_its_pool_cannot_fill(db, programme, tagged):
    made = quiz(db, programme, Purpose.PRACTICE, [{"tag": "重点", "count": 2}])
    made.rules[0].count = 4  # as if the bank changed after the quiz was saved
    with pytest.raises(QuizError, match="tag 重点 has 3 questions, 4 needed"):
        pick_questions(made, random.Random(1))


def test_the_live_count_takes_the_tag_and_the_usage(db, tagged, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    url = "/manage/quizzes/available?purpose=practice"
    assert client.get(url + "&tag=重点").get_json() == {"available": 3}
    assert client.get(url + "&tag=重点&category=procedures").get_json() == {"available": 1}
    assert client.get(url + "&usage=exam").get_json() == {"available": 0}
    assert client.get(url.replace("practice", "final") + "&usage=exam").get_json() == {
        "available": 0
    }


def test_the_live_count_is_for_staff_only(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINEE))
    response = client.get("/manage/quizzes/available?purpose=practice&tag=重点")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("zh_CN", "规则 1：本测验的用途不会抽取用途为“仅用于考试”的题"),
        ("en", "Rule 1: this quiz's purpose never draws questions of usage “Exams only”"),
    ],
)
def test_a_usage_the_purpose_never_draws_is_named_in_the_row(app, db, bank, locale, message):
    with app.test_request_context(), force_locale(locale):
        specs, problems = rules_from_form(row("procedures", usage="exam"), "practice")
        assert ([str(p) for p in problems], problems[0].row) == ([message], 1)


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("zh_CN", "规则 2：请选择分类、标签或用途"),
        ("en", "Rule 2: choose a category, a tag or a usage"),
    ],
)
def test_a_rule_without_category_tag_or_usage_is_refused(app, db, bank, locale, message):
    with app.test_request_context(), force_locale(locale):
        _specs, problems = rules_from_form(rows(row("procedures"), row()), "practice")
        assert [str(p) for p in problems] == [message]


def test_rules_sharing_questions_must_fill_each_other(app, db, bank, make_user):
    bulk_change(make_user(Role.TRAINER), ids_of(db, "sa", "num"), "tag", "重点")
    fields = rows(row("procedures", count="3"), row(tag="重点", count="1"))
    with app.test_request_context(), force_locale("zh_CN"):
        _specs, problems = rules_from_form(fields, "practice")
        shown = [str(p) for p in problems]
    # the category rule (3 of 4) may take both tagged questions before the tag rule draws
    assert shown == ["规则 2：标签 重点 只有 2 道本测验可抽的题；其他规则也从中抽题，共需要 4 道"]


def test_a_rule_of_tag_and_usage_becomes_its_spec(app, db, tagged):
    with app.test_request_context():
        specs, problems = rules_from_form(row(tag="重点", usage="both", count="2"), "practice")
    assert (specs, problems) == ([{"tag": "重点", "usage": "both", "count": 2}], [])


def test_a_yaml_rule_by_tag_is_checked_and_round_trips(db, programme, tagged):
    spec = {"key": "k", "purpose": "practice", "rules": [{"tag": "重点", "count": 5}]}
    assert validate_quiz(spec, questions_index()) == [
        "quiz k: rules[1]: tag 重点 has 3 questions, 5 needed"
    ]
    rules = [{"tag": "重点", "usage": "both", "count": 3}]
    assert validate_quiz({**spec, "rules": rules}, questions_index()) == []
    assert rules_as_specs(quiz(db, programme, Purpose.PRACTICE, rules)) == rules


def test_a_yaml_rule_with_an_unknown_usage_is_refused(db, bank):
    spec = {"key": "k", "purpose": "practice", "rules": [{"category": "x", "usage": "exams"}]}
    assert validate_quiz(spec, questions_index()) == [
        "quiz k: rules[1]: usage must be one of practice, exam, both"
    ]


def test_where_used_follows_the_tag_of_a_rule(db, programme, tagged):
    made = quiz(db, programme, Purpose.PRACTICE, [{"tag": "重点", "count": 1}])
    sa, num, essay = (
        db.session.scalar(select(Question).where(Question.key == k)) for k in ("sa", "num", "essay")
    )
    assert (where_used(sa)["drawn"], where_used(num)["drawn"]) == ([made], [])
    assert where_used(essay)["drawn"] == []  # random rules never draw essays


def test_the_builder_saves_tag_and_usage_and_shows_a_rule_error_in_its_row(
    db, tagged, client, login_as, make_user
):
    login_as(make_user(Role.TRAINER))
    form = {
        "key": "by-tag",
        "title": "按标签抽题",
        "purpose": "practice",
        "pass_percent": "60",
        "grading_method": "highest",
        "published": "y",
        "builder": "1",
        **row(tag="重点", usage="both", count="4"),
    }
    bad = client.post("/manage/quizzes/new", data=form)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert (
        'id="rule-error-1" data-testid="rule-error">'
        "tag 重点 · usage Practice and exams has 3 questions this quiz may draw, 4 needed"
    ) in html
    assert 'aria-describedby="rule-error-1"' in html and 'value="重点"' in html
    form["rule-count"] = ["3"]
    assert client.post("/manage/quizzes/new", data=form).status_code == 302
    made = db.session.scalar(select(Quiz).where(Quiz.key == "by-tag"))
    assert [(r.category, r.tag, r.usage, r.count) for r in made.rules] == [
        ("", "重点", Usage.BOTH, 3)
    ]
    page = client.get(f"/manage/quizzes/{made.id}/edit").get_data(as_text=True)
    assert 'name="rule-tag" value="重点"' in page and '<option value="both" selected>' in page

"""Weak areas: folding facts (pure) and a trainee's real quiz and drill results."""

import pytest

from trainer import clock
from trainer.internship.models import Grade
from trainer.internship.services import new_idempotency_token, sign_off_task
from trainer.permissions import Role
from trainer.reports.queries import trainee_weak_areas
from trainer.reports.weak_areas import (
    ElementFact,
    PhraseFact,
    ScoreFact,
    fold_scores,
    missed_elements,
    most_used_phrases,
    weak_areas,
)
from trainer.roleplay.services import override_elements


def test_scores_are_summed_per_area_and_listed_weakest_first():
    facts = [
        ScoreFact("topic", "norms", 1, 1, "quiz"),
        ScoreFact("topic", "norms", 0, 1, "quiz"),
        ScoreFact("topic", "complaints", 1, 4, "drill"),
        ScoreFact("topic", "complaints", 0, 4, "quiz"),
    ]
    folded = fold_scores(facts, {("topic", "complaints"): "投诉处理"})
    assert [(a.key, a.percent, a.count) for a in folded] == [
        ("complaints", 12, 2),
        ("norms", 50, 2),
    ]
    assert folded[0].label == "投诉处理" and folded[0].sources == ("drill", "quiz")
    assert folded[0].weak


def test_an_area_with_nothing_possible_is_left_out():
    assert fold_scores([ScoreFact("topic", "norms", 0, 0, "drill")], {}) == []


def test_the_most_used_forbidden_phrases_come_first_with_what_to_say_instead():
    facts = [
        PhraseFact("不知道", "请稍等"),
        PhraseFact("没办法", "我帮您想想办法"),
        PhraseFact("不知道", "请稍等"),
    ]
    assert [(p.phrase, p.count, p.alternative) for p in most_used_phrases(facts)] == [
        ("不知道", 2, "请稍等"),
        ("没办法", 1, "我帮您想想办法"),
    ]


def test_missed_elements_are_ranked_by_how_often_they_are_missed():
    facts = [
        ElementFact("greet", "问候", True),
        ElementFact("greet", "问候", False),
        ElementFact("thank", "致谢", False),
        ElementFact("apologise", "致歉", True),
    ]
    rows = missed_elements(facts)
    assert [(e.key, e.missed, e.seen, e.percent_missed) for e in rows] == [
        ("thank", 1, 1, 100),
        ("greet", 1, 2, 50),
    ]


def test_focus_options_offer_weak_areas_then_phrases_then_elements():
    areas = weak_areas(
        [
            ScoreFact("topic", "norms", 0, 1, "quiz"),
            ScoreFact("topic", "conduct", 1, 1, "quiz"),
            ScoreFact("step", "open_account.verify_identity", 1, 4, "quiz"),
        ],
        [PhraseFact("不知道", "")],
        [ElementFact("thank", "致谢", False)],
        {("topic", "norms"): "服务规范"},
    )
    assert [(o["kind"], o["key"]) for o in areas.focus_options()] == [
        ("topic", "norms"),
        ("step", "open_account.verify_identity"),
        ("phrase", "不知道"),
        ("element", "thank"),
    ]


# ---- from the database ------------------------------------------------------------------


@pytest.fixture
def trainee(make_enrolment):
    return make_enrolment().user


def test_quiz_answers_score_topics_and_linked_procedure_steps(trainee, make_quiz, make_attempt):
    quiz = make_quiz(
        [
            ("q1", "complaints", "complaint_handling.apologise", 1.0),
            ("q2", "norms", "norms.uniform", 1.0),
            ("q3", "complaints", None, 1.0),
        ]
    )
    make_attempt(trainee, quiz, [0, 1, 1])
    areas = trainee_weak_areas(trainee)
    assert [(a.key, a.percent) for a in areas.topics] == [("complaints", 50), ("norms", 100)]
    assert [a.label for a in areas.topics] == ["投诉处理", "服务规范"]
    # "norms.uniform" points at a topic item, not a procedure step
    assert [(a.key, a.percent) for a in areas.steps] == [("complaint_handling.apologise", 0)]


def test_drill_replies_count_forbidden_phrases_and_missed_elements(trainee, play):
    play(trainee, text="不知道，没办法")
    play(trainee, text="这个我不知道")
    areas = trainee_weak_areas(trainee)
    phrases = {p.phrase: p.count for p in areas.phrases}
    assert phrases["不知道"] >= 2 and phrases["不知道"] > phrases.get("没办法", 0)
    assert areas.elements and all(e.missed == e.seen for e in areas.elements)
    assert "complaint_handling" in {a.key for a in areas.topics}
    assert any(a.kind == "step" and "drill" in a.sources for a in areas.steps)


def test_a_trainer_override_counts_the_element_as_found(trainee, play, make_user, db):
    session = play(trainee, text="不知道")
    step = next(s for s in session.steps if s.kind == "reply")
    key = step.findings["elements"][0]["key"]
    before = {e.key: e.missed for e in trainee_weak_areas(trainee).elements}
    override_elements(make_user(Role.TRAINER), step, {key: True}, "其实说到了")
    db.session.commit()
    after = {e.key: e.missed for e in trainee_weak_areas(trainee).elements}
    assert after.get(key, 0) == before[key] - 1


def test_mentor_ratings_of_procedure_tasks_count_towards_the_procedure(
    db, make_enrolment, mentor, place, plan
):
    enrolment = make_enrolment()
    placement = place(enrolment, mentor)
    task = next(t for t in plan.tasks if t.key == "open_account")
    sign_off_task(
        mentor,
        placement,
        task,
        observed_on=clock.today(),
        observed_items={0},
        rating=2,
        grade=Grade.FAIL,
        comment="未核验证件",
        idempotency_token=new_idempotency_token(),
    )
    db.session.commit()
    areas = trainee_weak_areas(enrolment.user)
    assert [(a.key, a.percent, a.sources) for a in areas.topics] == [
        ("open_account", 40, ("internship",))
    ]

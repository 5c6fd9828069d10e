"""Review flags kept with the attempt, the quiz's page layout, and the summary before submit."""

import pytest

from tests.quizzes.test_attempts import answer_everything
from trainer import clock
from trainer.quizzes.models import AttemptState, Purpose
from trainer.quizzes.paging import (
    clamp_page,
    is_answered,
    page_count,
    page_of,
    question_states,
)
from trainer.quizzes.quiz_setup import questions_index, validate_quiz
from trainer.quizzes.services import load_responses, save_answers, start_attempt, submit_attempt

# ---- paging rules (pure) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("questions", "per_page", "pages"),
    [(27, None, 1), (27, 5, 6), (25, 5, 5), (1, 5, 1), (0, 5, 1), (9, 1, 9)],
)
def test_page_count_follows_questions_per_page(questions, per_page, pages):
    assert page_count(questions, per_page) == pages


def test_each_question_lands_on_its_page():
    assert [page_of(n, 3) for n in range(7)] == [1, 1, 1, 2, 2, 2, 3]
    assert {page_of(n, None) for n in range(30)} == {1}


def test_a_stale_page_number_lands_on_the_nearest_page():
    assert (clamp_page(None, 4), clamp_page(0, 4), clamp_page(9, 4), clamp_page(3, 4)) == (
        1,
        1,
        4,
        3,
    )


@pytest.mark.parametrize(
    ("value", "answered"),
    [
        (None, False),
        ("", False),
        ("  ", False),
        ([], False),
        ({"0": ""}, False),
        (0, True),
        ("身份证", True),
        ([2], True),
        ({"0": "身份证", "1": ""}, True),
        (False, True),
    ],
)
def test_an_answer_counts_when_it_holds_anything(value, answered):
    assert is_answered(value) is answered


# ---- flags through the autosave ------------------------------------------------------------


def test_flags_are_saved_with_the_attempt_and_come_back(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf", "sa"])
    attempt = start_attempt(trainee_in_training.user, quiz)
    db.session.commit()
    save_answers(attempt, {}, [], {0: True, 2: True})
    db.session.commit()
    db.session.expire_all()
    assert [r.flagged for r in load_responses(attempt)] == [True, False, True]


def test_a_flag_alone_leaves_the_saved_answer_alone(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf"])
    attempt = start_attempt(trainee_in_training.user, quiz)
    fields, slots = answer_everything(attempt)
    save_answers(attempt, fields, slots)
    db.session.commit()
    before = [r.value for r in load_responses(attempt)]
    save_answers(attempt, {}, [], {1: True})
    db.session.commit()
    db.session.expire_all()
    responses = load_responses(attempt)
    assert [r.value for r in responses] == before and responses[1].flagged


def test_unflagging_clears_the_flag(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf"])
    attempt = start_attempt(trainee_in_training.user, quiz)
    save_answers(attempt, {}, [], {0: True, 1: True})
    save_answers(attempt, {}, [], {0: False})
    db.session.commit()
    db.session.expire_all()
    assert [r.flagged for r in load_responses(attempt)] == [False, True]


def test_answers_and_flags_in_one_save_are_both_kept(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf", "sa"])
    attempt = start_attempt(trainee_in_training.user, quiz)
    fields, slots = answer_everything(attempt)
    save_answers(attempt, fields, slots, {1: True})
    db.session.commit()
    db.session.expire_all()
    responses = load_responses(attempt)
    assert all(r.value is not None for r in responses)
    assert [r.flagged for r in responses] == [False, True, False]


def test_flags_after_the_deadline_and_grace_are_refused(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf"], time_limit_minutes=5)
    attempt = start_attempt(trainee_in_training.user, quiz)
    db.session.commit()
    with clock.travel(minutes=10):
        assert save_answers(attempt, {}, [], {0: True}) is None
    db.session.commit()
    db.session.expire_all()
    assert attempt.state != AttemptState.IN_PROGRESS
    assert [r.flagged for r in load_responses(attempt)] == [False, False]


def test_flags_survive_submitting(db, make_quiz, trainee_in_training):
    quiz = make_quiz(Purpose.PRACTICE, keys=["sc", "tf"])
    attempt = start_attempt(trainee_in_training.user, quiz)
    save_answers(attempt, {}, [], {1: True})
    submit_attempt(attempt, trainee_in_training.user)
    db.session.commit()
    db.session.expire_all()
    assert [r.flagged for r in load_responses(attempt)] == [False, True]


# ---- the summary's states over a real attempt ---------------------------------------------


def test_question_states_show_answered_flagged_and_page(db, make_quiz, trainee_in_training):
    quiz = make_quiz(
        Purpose.PRACTICE, keys=["sc", "tf", "sa"], questions_per_page=2, shuffle_questions=False
    )
    attempt = start_attempt(trainee_in_training.user, quiz)
    fields, slots = answer_everything(attempt)
    first = {k: v for k, v in fields.items() if k.startswith("q-0")}
    save_answers(attempt, first, [0], {2: True})
    db.session.commit()
    db.session.expire_all()
    states = question_states(load_responses(attempt), quiz.questions_per_page)
    assert [(s.number, s.page, s.answered, s.flagged) for s in states] == [
        (1, 1, True, False),
        (2, 1, False, False),
        (3, 2, False, True),
    ]


# ---- the quiz's page layout in its spec ----------------------------------------------------


def test_the_quiz_keeps_its_questions_per_page(db, make_quiz):
    assert make_quiz(Purpose.PRACTICE, questions_per_page=5).questions_per_page == 5
    assert make_quiz(Purpose.PRACTICE).questions_per_page is None


@pytest.mark.parametrize("bad", [0, -1, 51, "5", 2.5, True])
def test_a_bad_questions_per_page_is_named(db, bank, bad):
    spec = {
        "key": "paged",
        "title": "分页",
        "purpose": "practice",
        "questions_per_page": bad,
        "rules": [{"question": "test_bank/sc"}],
    }
    errors = validate_quiz(spec, questions_index())
    assert any("quiz paged: questions_per_page" in e for e in errors), errors

"""Drawing respects a question's usage: practice never sees an exam-only question, a gating
exam draws only exam-only ones, and a quiz that cannot be filled that way is refused when it
is set up (by the library loader or the trainer's form), naming the quiz and the rule."""

import random
import shutil

import pytest
import yaml

from trainer.quizzes.banks import import_questions
from trainer.quizzes.library import BANKS_DIR, LibraryError, load_question_banks
from trainer.quizzes.models import Purpose, Question, Usage
from trainer.quizzes.questions import normalise_question
from trainer.quizzes.quiz_setup import questions_index, upsert_quiz, validate_quiz
from trainer.quizzes.services import load_responses, pick_questions, start_attempt

USAGES = {"p": "practice", "e": "exam", "b": "both"}


def true_false(key: str, usage: str) -> dict:
    return normalise_question(
        {
            "key": key,
            "type": "true_false",
            "category": "norms/dress",
            "usage": usage,
            "text": f"判断题 {key}",
            "answer": True,
        }
    )


@pytest.fixture
def mixed_bank(db):
    """Four questions of each usage in one category."""
    questions = [true_false(f"{u}{n}", usage) for u, usage in USAGES.items() for n in range(4)]
    bank = import_questions(None, "mixed", questions, title="混合").bank
    db.session.commit()
    return bank


def quiz(db, programme, purpose: Purpose, rules: list[dict], key: str = "q"):
    made = upsert_quiz(
        None, programme, {"key": key, "title": key, "purpose": purpose, "rules": rules}
    )
    db.session.commit()
    return made


@pytest.mark.parametrize("purpose", list(Purpose))
def test_random_rules_draw_only_the_usages_the_purpose_allows(db, programme, mixed_bank, purpose):
    made = quiz(db, programme, purpose, [{"category": "norms", "count": 4}])
    usage_of = {q.id: q.usage for q in db.session.query(Question)}
    seen = {
        usage_of[qid] for seed in range(40) for qid in pick_questions(made, random.Random(seed))
    }
    expected = {Usage.EXAM} if purpose != Purpose.PRACTICE else {Usage.PRACTICE, Usage.BOTH}
    assert seen == expected


def test_a_practice_attempt_never_holds_a_fixed_exam_only_question(
    db, programme, mixed_bank, trainee_in_training
):
    made = quiz(
        db, programme, Purpose.PRACTICE, [{"question": "mixed/e0"}, {"question": "mixed/p0"}]
    )
    attempt = start_attempt(trainee_in_training.user, made)
    assert [r.version.question.key for r in load_responses(attempt)] == ["p0"]


def test_a_gating_exam_that_cannot_be_filled_from_exam_only_questions_is_named(db, mixed_bank):
    spec = {
        "key": "final-x",
        "purpose": "final",
        "rules": [{"category": "norms", "count": 3}, {"category": "norms/dress", "count": 2}],
    }
    errors = validate_quiz(spec, questions_index())
    assert errors == [
        "quiz final-x: rules[1]: category norms has 4 exam-only questions, 5 needed",
        "quiz final-x: rules[2]: category norms/dress has 4 exam-only questions, 5 needed",
    ]


@pytest.mark.parametrize(
    "purpose, ref, message",
    [
        (
            "pre_job",
            "mixed/b0",
            "question mixed/b0 has usage both; a pre_job quiz uses only exam-only",
        ),
        ("practice", "mixed/e0", "question mixed/e0 has usage exam; a practice quiz uses only"),
    ],
)
def test_a_fixed_question_of_the_wrong_usage_is_refused(db, mixed_bank, purpose, ref, message):
    spec = {"key": "k", "purpose": purpose, "rules": [{"question": ref}]}
    (error,) = validate_quiz(spec, questions_index())
    assert error.startswith(f"quiz k: rules[1]: {message}")


def test_a_practice_quiz_counts_only_questions_usable_in_practice(db, mixed_bank):
    spec = {"key": "k", "purpose": "practice", "rules": [{"category": "norms", "count": 9}]}
    assert validate_quiz(spec, questions_index()) == [
        "quiz k: rules[1]: category norms has 8 questions, 9 needed"
    ]


def test_the_loader_refuses_a_library_whose_final_exam_draws_practice_questions(
    db, programme, tmp_path
):
    for path in BANKS_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    specs = yaml.safe_load((tmp_path / "quizzes.yaml").read_text(encoding="utf-8"))
    final = next(q for q in specs["quizzes"] if q["key"] == "final-exam")
    final["rules"][0]["count"] = 500
    (tmp_path / "quizzes.yaml").write_text(yaml.safe_dump(specs, allow_unicode=True), "utf-8")
    with pytest.raises(LibraryError) as error:
        load_question_banks(tmp_path)
    (line,) = [line for line in error.value.lines() if "final-exam" in line]
    assert "quiz final-exam: rules[1]: category procedures has" in line
    assert "exam-only questions, 500 needed" in line

"""Preview as a trainee: a question or a whole quiz drawn, shown and marked in memory.

Nothing is stored: the slots are transient Response objects never added to the session, and
the seed of the draw travels with the form, so the marked page shows the layout answered.
"""

import random

from trainer.quizzes.grading import percent
from trainer.quizzes.models import Question, QuestionVersion, Quiz, Response
from trainer.quizzes.question_types import get_question_type, grading_resources
from trainer.quizzes.services import group_fields, latest_versions, pick_questions


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)


def _slots(versions: list[QuestionVersion], rng: random.Random | None) -> list[Response]:
    return [
        Response(
            slot=slot,
            version=version,
            layout=get_question_type(version.type).make_layout(version.payload, rng),
            answer=None,
            needs_grading=False,
        )
        for slot, version in enumerate(versions)
    ]


def question_slots(question: Question, seed: int) -> list[Response]:
    return _slots([question.current], random.Random(seed))


def quiz_slots(quiz: Quiz, seed: int) -> list[Response]:
    """The quiz drawn as a trainee would get it (raises QuizError when a rule can't be filled)."""
    rng = random.Random(seed)
    ids = pick_questions(quiz, rng)
    versions = latest_versions(ids)
    return _slots([versions[qid] for qid in ids], rng if quiz.shuffle_answers else None)


def mark(slots: list[Response], fields: dict[str, list[str]]) -> dict:
    """Grade posted answers on the transient slots; the totals as a review page shows them."""
    answers = group_fields(fields)
    for response in slots:
        version = response.version
        kind = get_question_type(version.type)
        value = kind.parse_answer(version.payload, response.layout, answers.get(response.slot, {}))
        response.answer = {"value": value}
        if kind.manual:
            response.needs_grading = True
            continue
        grade = kind.grade_with(
            version.payload, value, grading_resources(version.type, version.payload)
        )
        response.fraction = grade.fraction
        response.score = round(grade.fraction * version.points, 4)
        response.feedback = grade.feedback
    score = round(sum(r.score or 0 for r in slots), 4)
    total = sum(r.version.points for r in slots)
    return {"score": score, "max_score": total, "percent": percent(score, total)}

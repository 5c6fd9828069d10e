"""Demo data: exam attempts that match each trainee's target stage (run before the path seeder)."""

import math
import random

from sqlalchemy import select

from trainer import clock
from trainer.extensions import db
from trainer.quizzes.marking import grade_essay
from trainer.quizzes.models import Purpose, Quiz
from trainer.quizzes.question_types.matching import options as matching_options
from trainer.quizzes.services import build_attempt, load_responses, submit_attempt
from trainer.seeding import DemoContext
from trainer.training.stages import Stage


def model_answer(question_type: str, payload: dict):
    """The full-marks answer of a question (what a well-trained trainee gives)."""
    if question_type == "single_choice":
        return next(i for i, c in enumerate(payload["choices"]) if c.get("fraction", 0) == 1)
    if question_type == "multiple_choice":
        return [i for i, c in enumerate(payload["choices"]) if c.get("fraction", 0) > 0]
    if question_type == "true_false":
        return payload["answer"]
    if question_type == "short_answer":
        return next(a["text"] for a in payload["answers"] if a.get("fraction", 1) == 1)
    if question_type == "numerical":
        best = max(payload["answers"], key=lambda a: a.get("fraction", 1))
        return str(best.get("value", best.get("min")))
    if question_type == "matching":
        texts = matching_options(payload)
        return {str(i): texts.index(p["right"]) for i, p in enumerate(payload["pairs"])}
    if question_type == "ordering":
        return {str(i): i + 1 for i in range(len(payload["items"]))}
    if question_type == "cloze":
        return [
            next(a["text"] for a in b["answers"] if a.get("fraction", 1) == 1)
            for b in payload["blanks"]
        ]
    return (
        "先向客户致歉并倾听诉求，按首问负责制受理，记录问题；能当场解决的当场解决，"
        "不能解决的按流程转交并告知处理时限，最后回访确认。"
    )


def mistaken_answer(question_type: str, payload: dict, rng: random.Random):
    """A wrong answer of the kind trainees give (a plausible distractor), or None: left blank."""
    if question_type == "single_choice":
        wrong = [i for i, c in enumerate(payload["choices"]) if c.get("fraction", 0) < 1]
        return rng.choice(wrong) if wrong else None
    if question_type == "multiple_choice":
        right = model_answer(question_type, payload)
        wrong = [i for i, c in enumerate(payload["choices"]) if c.get("fraction", 0) <= 0]
        picked = right[:-1] + ([rng.choice(wrong)] if wrong else [])
        return sorted(picked) or None
    if question_type == "true_false":
        return not payload["answer"]
    return None


def item_difficulty(question_id: int) -> float:
    """A stable difficulty per question (logit scale): some items are easy, a few are hard."""
    return random.Random(question_id * 7919).gauss(0.0, 1.0)


def simulated_answers(responses, ability: float, rng: random.Random) -> dict:
    """Answers of a trainee of `ability` (logit scale), question by question (Rasch model).

    So the demo's item analysis looks like a real cohort's: easy items mostly right, hard
    ones split, strong trainees right more often, and some noise."""
    answers = {}
    for response in responses:
        version = response.version
        p_right = 1 / (1 + math.exp(-(ability - item_difficulty(version.question_id))))
        right = rng.random() < p_right
        answers[response.id] = (
            model_answer(version.type, version.payload)
            if right
            else mistaken_answer(version.type, version.payload, rng)
        )
    return answers


def ensure_passing(responses, answers: dict, pass_percent: float, rng: random.Random) -> None:
    """A demo trainee who must have passed gets enough right; which ones stays random."""
    total = sum(r.version.points for r in responses) or 1
    right = {
        r.id for r in responses if answers[r.id] == model_answer(r.version.type, r.version.payload)
    }
    wrong = [r for r in responses if r.id not in right]
    rng.shuffle(wrong)
    earned = sum(r.version.points for r in responses if r.id in right)
    while wrong and 100 * earned / total < pass_percent + 10:
        response = wrong.pop()
        answers[response.id] = model_answer(response.version.type, response.version.payload)
        earned += response.version.points


def sit_exam(user, quiz: Quiz, days_ago: float, grader, rng: random.Random, well: bool = True):
    with clock.travel(days=-days_ago):
        attempt = build_attempt(user, quiz, rng)
        responses = load_responses(attempt)
        ability = rng.gauss(1.8, 0.6) if well else rng.gauss(-0.4, 0.5)
        answers = simulated_answers(responses, ability, rng)
        if well:
            ensure_passing(responses, answers, quiz.pass_percent, rng)
        for response in responses:
            if answers[response.id] is not None:
                response.answer = {"value": answers[response.id]}
        with clock.travel(minutes=25):
            submit_attempt(attempt, user)
        for response in load_responses(attempt):
            if response.needs_grading:
                grade_essay(
                    grader,
                    response,
                    response.version.points * (0.8 if well else 0.3),
                    "要点齐全，表达规范。" if well else "缺少致歉和时限承诺。",
                )
    return attempt


def seed_quiz_attempts(ctx: DemoContext) -> None:
    quizzes = {q.purpose: q for q in db.session.scalars(select(Quiz).order_by(Quiz.id))}
    pre_job, final = quizzes.get(Purpose.PRE_JOB), quizzes.get(Purpose.FINAL)
    if pre_job is None:
        return  # library not loaded: nothing to sit
    rng = random.Random(2026)
    grader = ctx.trainers[0]
    for index, (user, _enrolment, target) in enumerate(ctx.trainees):
        if target.reached(Stage.PRE_JOB_PASSED):
            if index % 4 == 0:  # some needed a second try
                sit_exam(user, pre_job, 34, grader, rng, well=False)
            sit_exam(user, pre_job, 33, grader, rng)
        elif target == Stage.PRE_JOB_TRAINING and index % 2 == 0:
            sit_exam(user, pre_job, 2, grader, rng, well=False)
        if final is not None and target.reached(Stage.FINAL_PASSED):
            sit_exam(user, final, 1, grader, rng)

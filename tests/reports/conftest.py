"""Report fixtures: quizzes with graded attempts, drills played through the real role-play
services, and trainees placed with a mentor through the internship services."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from trainer import clock
from trainer.internship.plan_files import parse_plan
from trainer.internship.plans import upsert_plan
from trainer.internship.services import place_trainee
from trainer.permissions import Role
from trainer.phrases.engine import PhraseMatcher, PhraseRule
from trainer.quizzes.models import (
    Attempt,
    AttemptState,
    Purpose,
    Question,
    QuestionBank,
    QuestionVersion,
    Quiz,
    Response,
)
from trainer.roleplay import library_refs
from trainer.roleplay.services import (
    choose,
    load_scenarios,
    reply,
    scenario_by_key,
    spec_of,
    start_drill,
)
from trainer.training.stages import Stage

RULES = (
    PhraseRule("dont_know", "不知道", (), "推诿", "推脱", "请稍等，我帮您查询一下。"),
    PhraseRule("no_way", "没办法", (), "推诿", "推脱", "我帮您想想办法。"),
)

PLAN_YAML = """\
key: report-plan
title: 报表测试带教计划
weeks:
  - week: 1
    tasks:
      - key: greet
        title: 站立迎客
        checklist:
          - 起身相迎，主动问候
      - key: open_account
        title: 独立办理开户
        procedure: open_account
        checklist:
          - 当面核验身份证件
"""

CHOICES = [
    {"text": "请稍等，我帮您查询一下", "fraction": 1},
    {"text": "不知道", "fraction": 0},
    {"text": "自己看", "fraction": 0},
]


@pytest.fixture
def matcher() -> PhraseMatcher:
    return PhraseMatcher(RULES, version="reports-test")


@pytest.fixture
def make_quiz(db, programme):
    """A quiz of single-choice questions: questions=[(key, category, link, points), ...]."""
    counter = iter(range(1, 1000))

    def make(questions, purpose=Purpose.PRE_JOB, pass_percent=60.0, title=None):
        n = next(counter)
        bank = QuestionBank(name=f"bank{n}", title=f"题库{n}")
        db.session.add(bank)
        db.session.flush()
        quiz = Quiz(
            key=f"quiz{n}",
            programme_id=programme.id,
            title=title or f"岗前考试{n}",
            purpose=purpose,
            pass_percent=pass_percent,
        )
        db.session.add(quiz)
        versions = []
        for key, category, link, points in questions:
            question = Question(bank=bank, key=key, category=category)
            version = QuestionVersion(
                question=question,
                number=1,
                type="single_choice",
                title=f"{key}题",
                text=f"{key}的题干",
                link=link,
                points=points,
                payload={"choices": CHOICES},
            )
            db.session.add_all([question, version])
            versions.append(version)
        db.session.commit()
        quiz.test_versions = versions  # handy for make_attempt
        return quiz

    return make


@pytest.fixture
def make_attempt(db):
    """A graded attempt; `marks` has one fraction per question (None: not drawn)."""

    def make(user, quiz, marks, submitted_at=None, number=None):
        number = number or 1 + db.session.scalar(
            select(func.count()).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
        )
        when = submitted_at or clock.now()
        attempt = Attempt(
            quiz_id=quiz.id,
            user_id=user.id,
            number=number,
            state=AttemptState.GRADED,
            started_at=when - timedelta(minutes=20),
            submitted_at=when,
            graded_at=when,
        )
        score = possible = 0.0
        slot = 0
        for version, fraction in zip(quiz.test_versions, marks, strict=True):
            if fraction is None:
                continue
            slot += 1
            mark = fraction * version.points
            score += mark
            possible += version.points
            attempt.responses.append(
                Response(
                    slot=slot,
                    question_version_id=version.id,
                    layout={"order": [0, 1, 2]},
                    answer={"value": 0 if fraction == 1 else 1},
                    fraction=fraction,
                    score=mark,
                )
            )
        attempt.score, attempt.max_score = score, possible
        attempt.percent = 100 * score / possible if possible else 0.0
        attempt.passed = attempt.percent >= quiz.pass_percent
        db.session.add(attempt)
        db.session.commit()
        return attempt

    return make


@pytest.fixture
def scenarios(db):
    load_scenarios(library_refs.SCENARIOS_DIR)
    db.session.commit()


@pytest.fixture
def play(db, scenarios, matcher):
    """Play a shipped scenario to its end: first choice at choice turns, `text` at replies."""

    def play_(user, key="complaint_overcharge_escalation", text="您好，请稍等", choice=0):
        session = start_drill(user, scenario_by_key(key))
        spec = spec_of(session.version)
        while session.state == "playing":
            turn = spec.turns[session.current_turn]
            position = len(session.steps)
            if turn.kind == "choice":
                choose(session, turn.key, position, min(choice, len(turn.choices) - 1))
            else:
                reply(session, turn.key, position, text, matcher)
        db.session.commit()
        return session

    return play_


@pytest.fixture
def plan(db):
    plan, _changed = upsert_plan(parse_plan(PLAN_YAML, "report-plan.yaml"))
    db.session.commit()
    return plan


@pytest.fixture
def place(db, make_user, plan):
    """Place `enrolment`'s trainee with `mentor` (in the mentor's hall)."""

    def place_(enrolment, mentor, start_date=None):
        enrolment.stage = Stage.PRE_JOB_PASSED
        placement = place_trainee(
            make_user(Role.TRAINER),
            enrolment,
            hall=mentor.hall,
            mentor=mentor,
            plan=plan,
            start_date=start_date or clock.today(),
        )
        db.session.commit()
        return placement

    return place_


@pytest.fixture
def mentor(make_user, make_hall):
    return make_user(Role.MENTOR, hall=make_hall())

"""Practical-assessment fixtures: a small checklist, trainees at the final stage placed with a
mentor and a duty manager, a final exam, and a helper that fills in the checklist."""

from pathlib import Path

import pytest

from tests.quizzes.test_attempts import answer_everything
from trainer import clock
from trainer.internship.plan_files import parse_plan
from trainer.internship.plans import upsert_plan
from trainer.internship.services import place_trainee
from trainer.permissions import Role
from trainer.practical.models import ItemResult, PracticalChecklist
from trainer.practical.services import (
    load_checklist_files,
    new_idempotency_token,
    record_assessment,
)
from trainer.quizzes.banks import import_questions
from trainer.quizzes.questions import normalise_question
from trainer.quizzes.quiz_setup import upsert_quiz
from trainer.quizzes.services import save_answers, start_attempt, submit_attempt
from trainer.training.stages import Stage

CHECKLIST = """\
key: test-final
title: 测试实操考核
programme: window-staff
pass_percent: 80
items:
  - key: greeting
    text: 起身迎候，主动问候
    weight: 10
  - key: real_name
    text: 证件原件、人证比对
    weight: 30
    critical: true
  - key: read_back
    text: 号码逐位复述
    weight: 20
    critical: true
  - key: phrases
    text: 规范用语
    weight: 20
  - key: closing
    text: 办结送别
    weight: 20
"""
PLAN = """\
key: practical-plan
title: 测试带教计划
weeks:
  - week: 1
    tasks:
      - key: greet
        title: 站立迎客
        checklist: [起身相迎]
"""


@pytest.fixture
def checklist_file(tmp_path) -> Path:
    path = tmp_path / "test-final.yaml"
    path.write_text(CHECKLIST, encoding="utf-8")
    return path


@pytest.fixture
def checklist(db, checklist_file):
    load_checklist_files([checklist_file])
    db.session.commit()
    return db.session.query(PracticalChecklist).filter_by(key="test-final").one()


@pytest.fixture
def mentor(make_user, make_hall):
    return make_user(Role.MENTOR, name="张师傅", hall=make_hall(name="人民路营业厅"))


@pytest.fixture
def duty_manager(make_user):
    return make_user(Role.MENTOR, name="李经理")


@pytest.fixture
def make_finalist(db, make_user, make_enrolment, mentor, duty_manager):
    """A trainee placed with `mentor` (and `duty_manager`) whose internship is complete."""
    plan, _changed = upsert_plan(parse_plan(PLAN, "practical-plan.yaml"))
    db.session.commit()

    def make(mentor_=None, stage=Stage.INTERNSHIP_COMPLETE):
        enrolment = make_enrolment(trainee=make_user(Role.TRAINEE, name="王小明"))
        enrolment.stage = Stage.PRE_JOB_PASSED
        chosen = mentor_ or mentor
        place_trainee(
            make_user(Role.TRAINER),
            enrolment,
            hall=chosen.hall or enrolment.user.hall,
            mentor=chosen,
            plan=plan,
            start_date=clock.today(),
            duty_manager=duty_manager,
        )
        enrolment.stage = stage  # the internship's own tests cover getting here
        db.session.commit()
        return enrolment

    return make


@pytest.fixture
def finalist(make_finalist, checklist):
    return make_finalist()


ALL_MET = {
    "greeting": ItemResult.MET,
    "real_name": ItemResult.MET,
    "read_back": ItemResult.MET,
    "phrases": ItemResult.MET,
    "closing": ItemResult.MET,
}


@pytest.fixture
def assess(db):
    """Record an assessment (every item met unless told) and commit."""

    def assess_(observer, enrolment, results=None, *, comment="", token=None, on=None, **changes):
        results = dict(ALL_MET if results is None else results)
        results.update({key: ItemResult(value) for key, value in changes.items()})
        assessment = record_assessment(
            observer,
            enrolment,
            observed_on=on or clock.today(),
            results=results,
            comment=comment,
            idempotency_token=token or new_idempotency_token(),
        )
        db.session.commit()
        return assessment

    return assess_


@pytest.fixture
def final_exam(db, programme):
    question = normalise_question(
        {
            "key": "first_inquiry",
            "type": "true_false",
            "category": "first_inquiry",
            "text": "首问负责制下，可以让客户去找别的同事。",
            "answer": False,
        }
    )
    import_questions(None, "practical_bank", [question], title="测试题库")
    quiz = upsert_quiz(
        None,
        programme,
        {
            "key": "final-exam",
            "title": "上岗考试",
            "purpose": "final",
            "rules": [{"question": "practical_bank/first_inquiry"}],
        },
    )
    quiz.published = True
    db.session.commit()
    return quiz


@pytest.fixture
def pass_final_exam(db, final_exam):
    def pass_(enrolment):
        attempt = start_attempt(enrolment.user, final_exam)
        save_answers(attempt, *answer_everything(attempt))
        submit_attempt(attempt, enrolment.user)
        db.session.commit()
        assert attempt.passed
        return attempt

    return pass_

"""Internship fixtures: a small plan, placed trainees and a sign-off helper."""

from datetime import date

import pytest

from trainer import clock
from trainer.internship.models import Grade, InternshipPlan, Placement, PlanTask, SignOff
from trainer.internship.plan_files import parse_plan
from trainer.internship.plans import upsert_plan
from trainer.internship.services import new_idempotency_token, place_trainee, sign_off_task
from trainer.permissions import Role
from trainer.training.stages import Stage

PLAN_YAML = """\
key: test-plan
title: 测试带教计划
weeks:
  - week: 1
    title: 跟岗观摩
    tasks:
      - key: observe_open_account
        title: 观摩开户
        procedure: open_account
        checklist:
          - 能说出实名制核验要求
          - 能说出一证五号限制
      - key: greet_customers
        title: 站立迎客
        observations: 2
        checklist:
          - 起身相迎，主动问候
  - week: 2
    tasks:
      - key: complaint_with_duty_manager
        title: 处理投诉（值班经理在场）
        duty_manager: true
        checklist:
          - 先安抚情绪
          - 超出权限时请值班经理当面接手
      - key: duty_log
        title: 随值班经理巡检
        required: false
        checklist:
          - 记录值班日志
"""


@pytest.fixture
def plan(db) -> InternshipPlan:
    plan, _changed = upsert_plan(parse_plan(PLAN_YAML, "test-plan.yaml"))
    db.session.commit()
    return plan


@pytest.fixture
def task(plan):
    def by_key(key: str) -> PlanTask:
        return next(t for t in plan.tasks if t.key == key)

    return by_key


@pytest.fixture
def mentor(make_user, make_hall):
    return make_user(Role.MENTOR, hall=make_hall())


@pytest.fixture
def make_placement(db, make_user, make_enrolment, plan, mentor):
    """A trainee who passed the pre-job exam, placed with `mentor` (or the given mentor) and
    a duty manager (a new mentor account unless given, or None)."""

    def make(
        mentor_=None, start_date: date | None = None, duty_manager="new", trainee=None
    ) -> Placement:
        enrolment = make_enrolment(trainee=trainee)
        enrolment.stage = Stage.PRE_JOB_PASSED
        chosen = mentor_ or mentor
        if duty_manager == "new":
            duty_manager = make_user(Role.MENTOR)
        placement = place_trainee(
            make_user(Role.TRAINER),
            enrolment,
            hall=chosen.hall or enrolment.user.hall,
            mentor=chosen,
            plan=plan,
            start_date=start_date or clock.today(),
            duty_manager=duty_manager,
        )
        db.session.commit()
        return placement

    return make


@pytest.fixture
def sign(db):
    """Sign off `task` for `placement` as its mentor, every item observed unless told."""

    def sign_(
        placement,
        task,
        *,
        grade=Grade.PASS,
        on=None,
        items=None,
        token=None,
        duty_manager_present=False,
    ) -> SignOff:
        sign_off = sign_off_task(
            placement.mentor,
            placement,
            task,
            observed_on=on or clock.today(),
            observed_items=set(range(len(task.checklist))) if items is None else items,
            rating=4,
            grade=grade,
            comment="做得好",
            idempotency_token=token or new_idempotency_token(),
            duty_manager_present=duty_manager_present,
        )
        db.session.commit()
        return sign_off

    return sign_


@pytest.fixture
def sign_everything_required(sign, plan):
    def sign_all(placement, on=None):
        for t in plan.tasks:
            if t.required:
                for _ in range(t.observations_needed):
                    sign(placement, t, on=on, duty_manager_present=t.needs_duty_manager)

    return sign_all

"""Every route × seven kinds of user, over real data (the shipped library and the demo seed).

The URL of a route that takes ids is filled with ONE certified trainee's objects (attempt,
drill, placement, sign-off, coaching record, certificate …); ids we cannot map get dummies.
Checks: anonymous users are sent to login; roles a route does not allow get 403; nothing
errors; another trainee and another mentor never see that trainee's name or employee number,
and get 403/404 on the trainee's objects. New routes are covered the day they are added.
"""

from dataclasses import dataclass

import pytest
from flask import url_for
from sqlalchemy import select
from werkzeug.routing import Rule

from tests.test_authorization_matrix import DUMMY_ARGUMENTS, guarded_rules, policy
from trainer.accounts.models import User
from trainer.certificates.models import Certificate
from trainer.coaching.models import CoachingRecord
from trainer.coaching.services import open_record
from trainer.internship.models import LogEntry, Placement, SignOff
from trainer.notifications.models import Notification
from trainer.permissions import ANY_USER, PUBLIC, Role
from trainer.practical.models import PracticalAssessment
from trainer.quizzes.models import Attempt
from trainer.roleplay.models import DrillSession
from trainer.seeding import DEMO_PASSWORD
from trainer.training.models import Enrolment

KINDS = ("anonymous", "trainee", "other_trainee", "mentor", "other_mentor", "trainer", "admin")
ROLE_OF_KIND = {
    "trainee": Role.TRAINEE,
    "other_trainee": Role.TRAINEE,
    "mentor": Role.MENTOR,
    "other_mentor": Role.MENTOR,
    "trainer": Role.TRAINER,
    "admin": Role.ADMIN,
}
OUTSIDERS = ("other_trainee", "other_mentor")
KEYS_BY_BLUEPRINT_PATH = {  # string arguments that name library objects
    "/modules/": "conduct",
    "/procedures/": "open_account",
    "/phrases/": "dont_know",
    "/drills/": "bill_payment_queue",
    "/roleplay/scenarios/": "bill_payment_queue",
}


@dataclass
class World:
    people: dict[str, User]
    ids: dict[str, object]


@pytest.fixture
def world(demo_data, db) -> World:
    certificate = db.session.scalars(select(Certificate).order_by(Certificate.id)).first()
    assert certificate is not None
    trainee = db.session.get(User, certificate.user_id)
    enrolment = db.session.get(Enrolment, certificate.enrolment_id)
    placement = db.session.scalar(select(Placement).where(Placement.enrolment_id == enrolment.id))
    attempt = db.session.scalar(
        select(Attempt).where(Attempt.user_id == trainee.id).order_by(Attempt.id)
    )
    drill = db.session.scalar(
        select(DrillSession).where(DrillSession.user_id == trainee.id).order_by(DrillSession.id)
    )
    sign_off = db.session.scalar(select(SignOff).where(SignOff.enrolment_id == enrolment.id))
    record = db.session.scalar(
        select(CoachingRecord).where(CoachingRecord.trainee_id == trainee.id)
    )
    if record is None:  # the demo coaches someone else: the mentor coaches this trainee too
        record = open_record(
            db.session.get(User, placement.mentor_id), trainee, agreed_actions="每天复盘一笔业务"
        )
        db.session.commit()
    entry = db.session.scalar(select(LogEntry).where(LogEntry.enrolment_id == enrolment.id))
    assert attempt and drill and placement and sign_off

    def user(employee_no: str) -> User:
        return db.session.scalar(select(User).where(User.employee_no == employee_no))

    mentors = [user(f"M000{i}") for i in (1, 2, 3, 4)]
    other_mentor = next(
        m for m in mentors if m.id != placement.mentor_id and m.hall_id != trainee.hall_id
    )
    others = db.session.scalars(
        select(User).where(User.employee_no.like("E%"), User.id != trainee.id)
    ).all()
    other_trainee = next(u for u in others if u.name != trainee.name)
    response = next(iter(sorted(attempt.responses, key=lambda r: r.id)), None)
    ids = {
        "attempt_id": attempt.id,
        "session_id": drill.id,
        "step_id": drill.steps[0].id if drill.steps else None,
        "enrolment_id": enrolment.id,
        "user_id": trainee.id,
        "trainee_id": trainee.id,
        "certificate_id": certificate.id,
        "record_id": record.id if record else None,
        "sign_off_id": sign_off.id,
        "task_id": sign_off.task_id,
        "plan_id": placement.plan_id,
        "entry_id": entry.id if entry else None,
        "cohort_id": enrolment.cohort_id,
        "quiz_id": attempt.quiz_id,
        "response_id": response.id if response else None,
        "assessment_id": db.session.scalar(
            select(PracticalAssessment.id).where(PracticalAssessment.enrolment_id == enrolment.id)
        ),
        "notification_id": db.session.scalar(
            select(Notification.id).where(Notification.user_id == trainee.id)
        ),
        "code": certificate.verification_code,
        "fmt": "csv",
    }
    people = {
        "trainee": trainee,
        "other_trainee": other_trainee,
        "mentor": db.session.get(User, placement.mentor_id),
        "other_mentor": other_mentor,
        "trainer": user("T0001"),
        "admin": user("A0001"),
    }
    return World(people=people, ids={k: v for k, v in ids.items() if v is not None})


def url_with_ids(app, rule: Rule, ids: dict) -> tuple[str, bool]:
    """The rule's URL with the trainee's ids; True when every argument was mapped."""
    values, mapped = {}, True
    for argument in rule.arguments - set(rule.defaults or {}):
        if argument in ids:
            values[argument] = ids[argument]
            continue
        key = next((v for p, v in KEYS_BY_BLUEPRINT_PATH.items() if rule.rule.startswith(p)), None)
        if argument == "key" and key:
            values[argument] = key
            continue
        converter = type(rule._converters[argument]).__name__.lower()
        kind = next((k for k in DUMMY_ARGUMENTS if k in converter), "default")
        values[argument] = DUMMY_ARGUMENTS[kind]
        mapped = False
    with app.test_request_context():
        return url_for(rule.endpoint, **values), mapped


def takes_trainee_objects(rule: Rule) -> bool:
    personal = {
        "attempt_id",
        "session_id",
        "step_id",
        "enrolment_id",
        "user_id",
        "trainee_id",
        "certificate_id",
        "record_id",
        "sign_off_id",
        "entry_id",
        "response_id",
        "assessment_id",
        "notification_id",
    }
    return bool(rule.arguments & personal)


def client_for(app, kind: str, world: World):
    client = app.test_client()
    if kind != "anonymous":
        user = world.people[kind]
        response = client.post(
            "/login", data={"employee_no": user.employee_no, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, f"{kind} could not log in"
    return client


def check_kind(app, kind: str, world: World) -> list[tuple]:
    client = client_for(app, kind, world)
    trainee = world.people["trainee"]
    role = ROLE_OF_KIND.get(kind)
    problems = []
    for rule in guarded_rules(app):
        if rule.endpoint in ("auth.logout", "auth.login"):
            continue
        roles = policy(app, rule)
        url, mapped = url_with_ids(app, rule, world.ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            allowed = roles in (PUBLIC, ANY_USER) or (role is not None and role in roles)
            if roles is PUBLIC:
                allowed = True
            elif kind == "anonymous":
                allowed = False
            if method == "POST" and allowed and kind not in OUTSIDERS:
                continue  # the features' own tests drive their forms; here: refusals only
            response = client.open(url, method=method)
            status = response.status_code
            # /readyz answers 503 by design here: the test schema has no migration stamp
            if status >= 500 and rule.endpoint != "operations.readyz":
                problems.append((kind, method, url, status, "server error"))
            elif kind == "anonymous" and roles is not PUBLIC:
                if status != 302 or "/login" not in response.headers.get("Location", ""):
                    problems.append((kind, method, url, status, "not sent to login"))
            elif not allowed and status != 403:
                problems.append((kind, method, url, status, "expected 403"))
            elif allowed and status == 403 and not (kind in OUTSIDERS and mapped):
                problems.append((kind, method, url, status, "refused an allowed role"))
            elif kind in OUTSIDERS and roles is not PUBLIC:
                body = response.get_data(as_text=True)
                if trainee.name in body or trainee.employee_no in body:
                    problems.append((kind, method, url, status, "shows the trainee"))
                if allowed and mapped and takes_trainee_objects(rule) and status not in (403, 404):
                    problems.append((kind, method, url, status, "reached the trainee's object"))
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_seven_kinds_of_user_over_real_data(app, world, kind):
    assert check_kind(app, kind, world) == []

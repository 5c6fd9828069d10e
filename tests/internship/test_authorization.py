"""Authorization matrix: mentors reach their own mentees only (others get 404 and no data)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from trainer import clock
from trainer.internship.models import Grade, SignOff
from trainer.internship.services import (
    active_placement,
    add_log_entry,
    new_idempotency_token,
    place_trainee,
)
from trainer.permissions import Role
from trainer.training.models import Enrolment

TRAINEE_NAME = "王小明"


@pytest.fixture
def world(make_placement, make_user, make_hall, sign, task, db):
    """Mentor A with mentee 王小明 (a sign-off, a log entry); mentor B with another mentee."""
    own_mentor = make_user(Role.MENTOR, hall=make_hall())
    other_mentor = make_user(Role.MENTOR, hall=make_hall())
    trainee = make_user(Role.TRAINEE, name=TRAINEE_NAME)
    placement = make_placement(
        own_mentor, start_date=clock.today() - timedelta(days=5), trainee=trainee
    )
    other = make_placement(other_mentor, trainee=make_user(Role.TRAINEE, name="李四"))
    sign_off = sign(placement, task("observe_open_account"))
    entry = add_log_entry(
        trainee, placement, day=clock.today(), what_happened="观摩开户", reflection=""
    )
    db.session.commit()
    return {
        "own_mentor": own_mentor,
        "other_mentor": other_mentor,
        "trainee": trainee,
        "other_trainee": other.enrolment.user,
        "trainer": make_user(Role.TRAINER),
        "e": placement.enrolment_id,
        "t": task("greet_customers").id,
        "s": sign_off.id,
        "log": entry.id,
    }


SIGN_OFF_FORM = {
    "observed_on": "",
    "items": ["0"],
    "rating": "4",
    "grade": "pass",
    "comment": "好",
    "token": "",
}

REQUESTS = {
    "mentee page": ("get", "/internship/mentees/{e}", None),
    "sign-off form": ("get", "/internship/mentees/{e}/tasks/{t}", None),
    "sign off": ("post", "/internship/mentees/{e}/tasks/{t}", SIGN_OFF_FORM),
    "withdraw": ("post", "/internship/sign-offs/{s}/withdraw", {"reason": "错签"}),
    "absence": ("post", "/internship/mentees/{e}/absences", {"day": "", "reason": "病假"}),
    "comment": ("post", "/internship/log/{log}/comments", {"body": "很好"}),
    "countersign": ("post", "/internship/sign-offs/{s}/countersign", {}),
}

# actor → request → expected status (302: done and redirected)
MATRIX = {
    "own_mentor": {
        "mentee page": 200,
        "sign-off form": 200,
        "sign off": 302,
        "withdraw": 302,
        "absence": 302,
        "comment": 302,
        "countersign": 403,
    },
    "other_mentor": {
        "mentee page": 404,
        "sign-off form": 404,
        "sign off": 404,
        "withdraw": 404,
        "absence": 404,
        "comment": 404,
        "countersign": 403,
    },
    "trainee": {
        "mentee page": 403,
        "sign-off form": 403,
        "sign off": 403,
        "withdraw": 403,
        "absence": 403,
        "comment": 403,
        "countersign": 403,
    },
    "other_trainee": {
        "mentee page": 403,
        "sign-off form": 403,
        "sign off": 403,
        "withdraw": 403,
        "absence": 403,
        "comment": 403,
        "countersign": 403,
    },
    "trainer": {
        "mentee page": 200,
        "sign-off form": 403,
        "sign off": 403,
        "withdraw": 302,
        "absence": 302,
        "comment": 302,
        "countersign": 302,
    },
}
CASES = [
    (actor, request, status) for actor, row in MATRIX.items() for request, status in row.items()
]


def send(client, world, request):
    method, url, data = REQUESTS[request]
    if data is not None:
        data = dict(data)
        if "observed_on" in data:
            data["observed_on"] = clock.today().isoformat()
            data["token"] = new_idempotency_token()
        if "day" in data:
            data["day"] = clock.today().isoformat()
    return getattr(client, method)(url.format(**world), data=data)


@pytest.mark.parametrize(
    ("actor", "request_name", "expected"), CASES, ids=[f"{a}-{r}" for a, r, _ in CASES]
)
def test_authorization_matrix(client, login_as, world, actor, request_name, expected):
    login_as(world[actor])
    response = send(client, world, request_name)
    assert response.status_code == expected
    if expected in (403, 404) and actor != "trainee":  # the trainee's own name is in the nav
        assert TRAINEE_NAME not in response.get_data(as_text=True)


def test_anonymous_users_are_sent_to_log_in(client, world):
    for request_name in REQUESTS:
        assert send(client, world, request_name).status_code in (302, 401)


def test_another_mentors_sign_off_post_records_nothing(client, login_as, world, db):
    login_as(world["other_mentor"])
    send(client, world, "sign off")
    assert db.session.scalar(select(func.count()).select_from(SignOff)) == 1


def test_a_mentors_list_shows_only_their_own_mentees(client, login_as, world):
    login_as(world["other_mentor"])
    body = client.get("/internship/mentees").get_data(as_text=True)
    assert "李四" in body and TRAINEE_NAME not in body


def test_a_mentors_dashboard_shows_only_their_own_mentees(client, login_as, world):
    login_as(world["other_mentor"])
    body = client.get("/").get_data(as_text=True)
    assert "李四" in body and TRAINEE_NAME not in body


def test_a_mentors_overdue_list_shows_only_their_own_mentees(client, login_as, world):
    login_as(world["other_mentor"])
    with clock.travel(days=20):
        body = client.get("/internship/overdue").get_data(as_text=True)
    assert "李四" in body and TRAINEE_NAME not in body


def test_a_former_mentor_loses_access_after_reassignment(client, login_as, world, db):
    enrolment = db.session.get(Enrolment, world["e"])
    current = active_placement(enrolment)
    place_trainee(
        world["trainer"],
        enrolment,
        hall=current.hall,
        mentor=world["other_mentor"],
        plan=current.plan,
        start_date=current.start_date,
        reason="调岗",
    )
    db.session.commit()
    login_as(world["own_mentor"])
    assert client.get(f"/internship/mentees/{world['e']}").status_code == 404


def test_the_own_mentors_sign_off_is_recorded_with_the_posted_grade(client, login_as, world, db):
    login_as(world["own_mentor"])
    send(client, world, "sign off")
    latest = db.session.scalars(select(SignOff).order_by(SignOff.id.desc())).first()
    assert (latest.task_id, latest.grade) == (world["t"], Grade.PASS)

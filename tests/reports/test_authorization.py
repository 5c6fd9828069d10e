"""Authorization matrix of every report, coaching and recognition route: a trainee sees only
themself, a mentor only their current mentees, a trainer everyone."""

import pytest
from sqlalchemy import func, select

from trainer.coaching.models import CoachingRecord
from trainer.coaching.services import open_record
from trainer.permissions import ANY_USER, Role

FEATURES = ("reports", "coaching", "recognition")


def test_every_route_of_these_features_declares_who_may_use_it(app):
    unmarked = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in FEATURES
        and not getattr(app.view_functions[rule.endpoint], "required_roles", None)
    ]
    assert unmarked == []


def test_no_report_route_is_public(app):
    public = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in FEATURES
        and getattr(app.view_functions[rule.endpoint], "required_roles", None) == "public"
    ]
    assert public == []


@pytest.fixture
def world(db, make_user, make_enrolment, make_cohort, mentor, place, make_quiz, make_attempt):
    """Trainee A (placed with `mentor`), trainee B (placed with another mentor), a trainer."""
    trainer = make_user(Role.TRAINER, name="培训师甲")
    cohort = make_cohort(trainer=trainer)
    a = make_enrolment(trainee=make_user(Role.TRAINEE, name="学员张三"), cohort=cohort)
    b = make_enrolment(trainee=make_user(Role.TRAINEE, name="学员李四"), cohort=cohort)
    other_mentor = make_user(Role.MENTOR, hall=mentor.hall, name="师傅王五")
    place(a, mentor)
    place(b, other_mentor)
    quiz = make_quiz([("q1", "norms", None, 1.0)])
    make_attempt(a.user, quiz, [1])
    record = open_record(trainer, a.user, agreed_actions="每天练习三遍问候语")
    db.session.commit()
    return {
        "trainee": a.user,
        "other_trainee": b.user,
        "mentor": mentor,
        "other_mentor": other_mentor,
        "trainer": trainer,
        "admin": make_user(Role.ADMIN),
        "cohort": cohort,
        "quiz": quiz,
        "record": record,
    }


# (method, url template, {actor: expected status}); actors not listed are not checked.
MATRIX = [
    (
        "get",
        "/reports/trainees/{trainee}",
        {
            "trainee": 200,
            "other_trainee": 404,
            "mentor": 200,
            "other_mentor": 404,
            "trainer": 200,
            "admin": 200,
        },
    ),
    ("get", "/reports/me", {"trainee": 302, "mentor": 403, "trainer": 403}),
    ("get", "/reports/", {"trainee": 403, "mentor": 200, "trainer": 200, "admin": 200}),
    (
        "get",
        "/reports/cohorts/{cohort}",
        {"trainee": 403, "mentor": 403, "trainer": 200, "admin": 200},
    ),
    ("get", "/reports/quizzes/{quiz}/items", {"trainee": 403, "mentor": 403, "trainer": 200}),
    ("get", "/reports/export/results.csv", {"trainee": 403, "mentor": 403, "trainer": 200}),
    ("get", "/reports/export/attempts.xlsx", {"trainee": 403, "mentor": 403, "trainer": 200}),
    ("get", "/coaching/", {"trainee": 200, "mentor": 200, "trainer": 200}),
    (
        "get",
        "/coaching/new/{trainee}",
        {
            "trainee": 403,
            "other_trainee": 403,
            "mentor": 200,
            "other_mentor": 404,
            "trainer": 200,
            "admin": 403,
        },
    ),
    ("post", "/coaching/new/{trainee}", {"other_mentor": 404, "trainee": 403}),
    (
        "get",
        "/coaching/{record}",
        {
            "trainee": 200,
            "other_trainee": 404,
            "mentor": 200,
            "other_mentor": 404,
            "trainer": 200,
            "admin": 200,
        },
    ),
    (
        "post",
        "/coaching/{record}/acknowledge",
        {"other_trainee": 404, "mentor": 403, "trainer": 403},
    ),
    ("post", "/coaching/{record}/outcome", {"trainee": 403, "other_mentor": 404}),
    ("get", "/recognition/", {"trainee": 403, "mentor": 200, "trainer": 200, "admin": 200}),
    ("post", "/recognition/awards", {"trainee": 403, "mentor": 403}),
    ("get", "/recognition/honours", {"trainee": 200, "mentor": 200, "trainer": 200}),
]

CASES = [
    (method, url, actor, status)
    for method, url, expected in MATRIX
    for actor, status in expected.items()
]


@pytest.mark.parametrize(
    ("method", "url", "actor", "status"), CASES, ids=[f"{m} {u} as {a}" for m, u, a, _ in CASES]
)
def test_authorization_matrix(client, login_as, world, method, url, actor, status):
    login_as(world[actor])
    path = url.format(
        trainee=world["trainee"].id,
        cohort=world["cohort"].id,
        quiz=world["quiz"].id,
        record=world["record"].id,
    )
    response = getattr(client, method)(path, data={"agreed_actions": "x", "outcome": "x"})
    assert response.status_code == status
    if status in (403, 404):
        body = response.get_data(as_text=True)
        assert "每天练习三遍问候语" not in body
        if actor != "trainee":  # the navbar shows the logged-in user's own name
            assert world["trainee"].name not in body


def test_a_refused_coaching_record_is_not_created(client, login_as, world, db):
    login_as(world["other_mentor"])
    client.post(
        f"/coaching/new/{world['trainee'].id}",
        data={"held_on": "2026-01-01", "agreed_actions": "越权记录"},
    )
    assert db.session.scalar(select(func.count()).select_from(CoachingRecord)) == 1


def test_a_mentor_lists_only_their_own_mentees(client, login_as, world):
    login_as(world["mentor"])
    body = client.get("/reports/").get_data(as_text=True)
    assert world["trainee"].name in body and world["other_trainee"].name not in body


def test_a_trainee_lists_only_their_own_coaching(client, login_as, world):
    login_as(world["other_trainee"])
    body = client.get("/coaching/").get_data(as_text=True)
    assert "每天练习三遍问候语" not in body


@pytest.mark.parametrize(
    "path", ["/reports/", "/coaching/", "/recognition/honours", "/reports/export/results.csv"]
)
def test_anonymous_visitors_are_sent_to_log_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_honours_is_open_to_any_logged_in_user(app):
    assert app.view_functions["recognition.honours"].required_roles == ANY_USER

"""Redis unreachable or hung: logins, /verify and bulk issuance go on (rate limits counted in
memory meanwhile, and logged)."""

import logging

import pytest
from sqlalchemy import select

from tests.certificates.conftest import bring_to
from tests.conftest import PASSWORD
from trainer.certificates.models import CertificateBatch
from trainer.permissions import Role
from trainer.training.stages import Stage


@pytest.fixture(params=["dead", "silent"])
def unreachable_redis(request, dead_port, silent_server):
    port = dead_port if request.param == "dead" else silent_server
    return f"redis://127.0.0.1:{port}/5"


@pytest.fixture
def app_without_redis(make_app, unreachable_redis):
    return make_app(
        REDIS_URL=unreachable_redis,
        RATELIMIT_STORAGE_URI=unreachable_redis,
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        REDIS_OPTIONS={"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
    )


def test_login_works_while_redis_is_unreachable_and_the_fallback_is_logged(
    app_without_redis, make_user, caplog
):
    user = make_user(Role.TRAINEE)
    client = app_without_redis.test_client()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        response = client.post(
            "/login", data={"employee_no": user.employee_no, "password": PASSWORD}
        )
    assert response.status_code == 302
    assert "falling back to in-memory storage" in caplog.text


def test_the_login_limit_still_holds_in_memory_while_redis_is_unreachable(
    app_without_redis, make_user
):
    app_without_redis.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    user = make_user(Role.TRAINEE)
    client = app_without_redis.test_client()
    codes = [
        client.post(
            "/login", data={"employee_no": user.employee_no, "password": "wrong"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_public_verification_works_while_redis_is_unreachable(app_without_redis, certificate):
    response = app_without_redis.test_client().get(f"/verify/{certificate.verification_code}")
    assert response.status_code == 200
    assert certificate.serial in response.get_data(as_text=True)


def test_a_bulk_issue_started_while_redis_is_down_finishes_in_the_request(
    app_without_redis, db, make_user, make_enrolment, make_cohort
):
    trainer = make_user(Role.TRAINER)
    cohort = make_cohort(trainer=trainer)
    for _ in range(2):
        bring_to(make_enrolment(cohort=cohort), Stage.INTERNSHIP_COMPLETE, trainer)
    for enrolment in cohort.enrolments:
        enrolment.stage = Stage.FINAL_PASSED
    db.session.commit()
    client = app_without_redis.test_client()
    client.post("/login", data={"employee_no": trainer.employee_no, "password": PASSWORD})

    response = client.post("/certificates/batches", data={"cohort_id": cohort.id})

    assert response.status_code == 302
    db.session.expire_all()
    batch = db.session.scalars(select(CertificateBatch)).one()
    assert (batch.total, batch.done, batch.failed) == (2, 2, 0)

"""Bulk issuance as background jobs on a real Redis queue, and inline without Redis."""

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from tests.certificates.conftest import bring_to
from trainer.certificates.bulk import QUEUE_NAME
from trainer.certificates.models import CertificateBatch
from trainer.training.stages import Stage

REDIS_URL = "redis://127.0.0.1:6379/13"
# The tests of this file empty and fill that one Redis db: they run on one xdist worker.
pytestmark = pytest.mark.xdist_group("redis-db-13")


@pytest.fixture
def cohort_ready(db, make_trainee, make_enrolment, make_cohort, trainer_user):
    cohort = make_cohort(trainer=trainer_user)
    for n in range(3):
        enrolment = make_enrolment(make_trainee(f"批量{n}"), cohort)
        bring_to(enrolment, Stage.INTERNSHIP_COMPLETE, trainer_user)
        enrolment.stage = Stage.FINAL_PASSED  # passed before certificates were switched on
    db.session.commit()
    return cohort


@pytest.fixture
def redis_queue(app, monkeypatch):
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except Exception:  # pragma: no cover - the team machine runs Redis
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    connection.flushdb()
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    yield Queue(QUEUE_NAME, connection=connection)
    connection.flushdb()


def test_web_request_queues_jobs_and_returns_at_once(
    client, login_as, trainer_user, cohort_ready, redis_queue, db
):
    login_as(trainer_user)
    response = client.post("/certificates/batches", data={"cohort_id": cohort_ready.id})
    assert response.status_code == 302
    batch = db.session.scalars(select(CertificateBatch)).one()
    assert (batch.queued, batch.total, batch.done) == (True, 3, 0)
    assert redis_queue.count == 1
    progress = client.get(f"/certificates/batches/{batch.id}/progress").get_json()
    assert progress["finished"] is False

    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)

    progress = client.get(f"/certificates/batches/{batch.id}/progress").get_json()
    assert (progress["done"], progress["failed"], progress["finished"]) == (3, 0, True)


def test_without_redis_the_web_request_issues_inline(
    client, login_as, trainer_user, cohort_ready, db, app, monkeypatch
):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    login_as(trainer_user)
    response = client.post("/certificates/batches", data={"cohort_id": cohort_ready.id})
    page = client.get(response.location).get_data(as_text=True)
    assert 'js-done">3<' in page


def test_cli_queue_mode_leaves_the_work_to_the_workers(runner, cohort_ready, redis_queue, db):
    result = runner.invoke(
        args=["certs", "issue", "--cohort", str(cohort_ready.id), "--queue", "--no-wait"]
    )
    assert result.exit_code == 0, result.output
    assert "3 queued" in result.output
    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    db.session.expire_all()
    batch = db.session.scalars(select(CertificateBatch)).one()
    assert (batch.done, batch.failed) == (3, 0)


def test_cli_queue_mode_without_redis_says_what_is_missing(runner, cohort_ready, app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    result = runner.invoke(args=["certs", "issue", "--cohort", str(cohort_ready.id), "--queue"])
    assert result.exit_code == 2 and "REDIS_URL" in result.output

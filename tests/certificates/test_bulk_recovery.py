"""Bulk batches whose jobs were lost are finished by the scheduler; failures can be retried."""

from datetime import timedelta

import pytest
from redis import Redis
from sqlalchemy import select

from tests.certificates.conftest import bring_to
from trainer import clock
from trainer.certificates.models import Certificate, CertificateBatch
from trainer.jobs.runner import run_job
from trainer.training.stages import Stage

REDIS_URL = "redis://127.0.0.1:6379/5"
# The tests of this file empty and fill that one Redis db: they run on one xdist worker.
pytestmark = pytest.mark.xdist_group("redis-db-5")


@pytest.fixture
def cohort_ready(db, make_trainee, make_enrolment, make_cohort, trainer_user):
    cohort = make_cohort(trainer=trainer_user)
    for n in range(3):
        enrolment = make_enrolment(make_trainee(f"恢复{n}"), cohort)
        bring_to(enrolment, Stage.INTERNSHIP_COMPLETE, trainer_user)
        enrolment.stage = Stage.FINAL_PASSED  # passed before certificates were switched on
    db.session.commit()
    return cohort


@pytest.fixture
def redis(app, monkeypatch):
    connection = Redis.from_url(REDIS_URL)
    connection.flushdb()
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    yield connection
    connection.flushdb()


def test_a_batch_whose_jobs_were_lost_is_finished_by_the_scheduler(
    client, login_as, trainer_user, cohort_ready, redis, db
):
    login_as(trainer_user)
    client.post("/certificates/batches", data={"cohort_id": cohort_ready.id})
    redis.flushdb()  # Redis restarted without persistence: the queued job is gone
    assert run_job("certificates.resume_batches").summary == "0 stuck batches resumed"

    clock.set_offset(timedelta(minutes=20))
    result = run_job("certificates.resume_batches")

    assert (result.outcome, result.summary) == ("done", "1 stuck batches resumed")
    db.session.expire_all()
    batch = db.session.scalars(select(CertificateBatch)).one()
    assert (batch.done, batch.failed, batch.finished) == (3, 0, True)
    assert len(db.session.scalars(select(Certificate)).all()) == 3


def test_a_trainer_retries_the_failures_of_a_finished_batch(
    client, login_as, trainer_user, cohort_ready, db
):
    batch = CertificateBatch(cohort_id=cohort_ready.id, total=3, done=0, failed=3, errors=["x"])
    db.session.add(batch)
    db.session.commit()
    login_as(trainer_user)
    page = client.get(f"/certificates/batches/{batch.id}").get_data(as_text=True)
    assert 'data-testid="retry-failed"' in page

    response = client.post("/certificates/batches", data={"cohort_id": cohort_ready.id})

    retried = db.session.get(CertificateBatch, int(response.location.rsplit("/", 1)[1]))
    assert (retried.total, retried.done, retried.failed) == (3, 3, 0)

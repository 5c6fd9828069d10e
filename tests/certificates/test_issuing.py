"""Issuing after the pass: attribution, a PDF that cannot be written, and the sweeping job."""

import threading

import pytest
from sqlalchemy import func, select, text

from tests.certificates.conftest import bring_to
from trainer import storage
from trainer.certificates.documents import read_pdf, storage_key
from trainer.certificates.models import Certificate
from trainer.certificates.services import certificate_for
from trainer.jobs.runner import run_job
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


def certificates(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Certificate))


def test_a_pass_by_the_trainee_is_issued_by_the_system_not_the_trainee(
    db, make_trainee, make_enrolment, make_cohort, trainer_user
):
    enrolment = make_enrolment(make_trainee(), make_cohort(trainer=trainer_user))
    bring_to(enrolment, Stage.INTERNSHIP_COMPLETE, trainer_user)
    trainee = enrolment.user
    # The trainee's own submission is what moves them (actor = the trainee).
    trainee_path.advance(enrolment, Stage.FINAL_PASSED, trainee, override_reason="exam")
    db.session.commit()
    certificate = certificate_for(enrolment)
    assert certificate is not None and certificate.issued_by_id is None
    assert db.session.get(type(enrolment), enrolment.id).stage == Stage.CERTIFIED


def test_a_trainers_override_is_issued_by_the_trainer(certificate, trainer_user):
    assert certificate.issued_by_id == trainer_user.id


@pytest.fixture
def refusing_database(db):
    """The database refuses to store files (as a full disk would), until the block ends."""
    dialect = db.engine.dialect.name
    with db.engine.begin() as conn:
        if dialect == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_files BEFORE INSERT ON stored_file "
                    "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse_files() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'could not extend file: No space left on device'; END $$ "
                    "LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_files BEFORE INSERT ON stored_file "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_files()"
                )
            )

    def space_returns():
        with db.engine.begin() as conn:
            if dialect == "sqlite":
                conn.execute(text("DROP TRIGGER IF EXISTS refuse_files"))
            else:
                conn.execute(text("DROP TRIGGER IF EXISTS refuse_files ON stored_file"))
                conn.execute(text("DROP FUNCTION IF EXISTS refuse_files()"))

    yield space_returns
    space_returns()


def test_a_store_that_refuses_the_pdf_never_costs_the_pass(
    db, make_trainee, make_enrolment, make_cohort, trainer_user, refusing_database
):
    enrolment = make_enrolment(make_trainee(), make_cohort(trainer=trainer_user))
    bring_to(enrolment, Stage.FINAL_PASSED, trainer_user)
    db.session.commit()

    db.session.expire_all()
    certificate = certificate_for(enrolment)
    assert db.session.get(type(enrolment), enrolment.id).stage == Stage.CERTIFIED  # pass stands
    assert certificate.pdf_path is None
    assert "full" in certificate.pdf_error or "No space" in certificate.pdf_error
    assert read_pdf(certificate).startswith(b"%PDF")  # the download renders it meanwhile

    refusing_database()  # space returns
    assert "1 of 1 missing PDFs stored" in run_job("certificates.issue_due").summary
    db.session.expire_all()
    certificate = certificate_for(enrolment)
    assert certificate.pdf_error is None
    assert read_pdf(certificate) == storage.get(storage_key(certificate.pdf_path))


def test_an_unreachable_bucket_never_costs_the_pass(
    app, db, make_trainee, make_enrolment, make_cohort, trainer_user, s3_store, monkeypatch
):
    monkeypatch.setitem(app.extensions, "storage", s3_store)
    s3_store.client.delete_bucket(Bucket=s3_store.bucket)  # gone (or not yet created)
    enrolment = make_enrolment(make_trainee(), make_cohort(trainer=trainer_user))
    bring_to(enrolment, Stage.FINAL_PASSED, trainer_user)
    db.session.commit()

    db.session.expire_all()
    certificate = certificate_for(enrolment)
    assert db.session.get(type(enrolment), enrolment.id).stage == Stage.CERTIFIED
    assert certificate.pdf_path is None and "NoSuchBucket" in certificate.pdf_error

    s3_store.client.create_bucket(Bucket=s3_store.bucket)
    assert "1 of 1 missing PDFs stored" in run_job("certificates.issue_due").summary
    db.session.expire_all()
    certificate = certificate_for(enrolment)
    assert read_pdf(certificate) == s3_store.get(storage_key(certificate.pdf_path))


def test_the_job_issues_to_whoever_passed_without_a_certificate_once_even_twice_at_once(
    app, db, make_trainee, make_enrolment, make_cohort, trainer_user
):
    enrolments = [
        make_enrolment(make_trainee(name=f"学员{n}"), make_cohort(trainer=trainer_user))
        for n in range(3)
    ]
    # A crash between the pass and its reaction: the trainees sit at FINAL_PASSED, no issue.
    listeners = app.extensions["trainee_path"]._listeners[Stage.FINAL_PASSED]
    saved = dict(listeners)
    listeners.clear()
    try:
        for enrolment in enrolments:
            bring_to(enrolment, Stage.FINAL_PASSED, trainer_user)
        db.session.commit()
    finally:
        listeners.update(saved)
    assert certificates(db) == 0

    barrier = threading.Barrier(2)
    outcomes = []

    def runner() -> None:
        with app.app_context():
            barrier.wait(timeout=30)
            outcomes.append(run_job("certificates.issue_due").outcome)
            db.session.remove()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["done", "done"]
    assert certificates(db) == 3
    for enrolment in enrolments:
        db.session.refresh(enrolment)
        assert enrolment.stage == Stage.CERTIFIED and certificate_for(enrolment).pdf_sha256

"""Issuing after the pass: attribution, a PDF that cannot be written, and the sweeping job."""

import threading

from sqlalchemy import func, select

from tests.certificates.conftest import bring_to
from trainer.certificates import storage
from trainer.certificates.documents import read_pdf
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


def test_an_unwritable_certificate_folder_never_costs_the_pass(
    app, db, make_trainee, make_enrolment, make_cohort, trainer_user, tmp_path, monkeypatch
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setitem(app.config, "CERTIFICATE_DIR", str(blocked / "certificates"))
    enrolment = make_enrolment(make_trainee(), make_cohort(trainer=trainer_user))
    bring_to(enrolment, Stage.FINAL_PASSED, trainer_user)
    db.session.commit()

    db.session.expire_all()
    certificate = certificate_for(enrolment)
    assert db.session.get(type(enrolment), enrolment.id).stage == Stage.CERTIFIED  # pass stands
    assert certificate.pdf_path is None and "not-a-folder" in certificate.pdf_error
    assert read_pdf(certificate).startswith(b"%PDF")  # the download renders it meanwhile

    folder = tmp_path / "certificates"  # space returns
    monkeypatch.setitem(app.config, "CERTIFICATE_DIR", str(folder))
    assert "1 of 1 missing PDFs stored" in run_job("certificates.issue_due").summary
    db.session.expire_all()
    certificate = certificate_for(enrolment)
    assert certificate.pdf_error is None and (folder / certificate.pdf_path).is_file()
    assert read_pdf(certificate) == (folder / certificate.pdf_path).read_bytes()


def test_a_failed_write_leaves_no_temporary_file(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CERTIFICATE_DIR", str(tmp_path))
    (tmp_path / "2027" / "SQ-2027-000001.pdf").mkdir(parents=True)  # cannot be replaced
    try:
        storage.save("2027/SQ-2027-000001.pdf", b"%PDF-1.7")
    except storage.StorageError:
        pass
    else:
        raise AssertionError("the write should have failed")
    assert sorted(p.name for p in (tmp_path / "2027").iterdir()) == ["SQ-2027-000001.pdf"]


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

"""Backup, then restore on a fresh site: the certificate still verifies and downloads."""

import hashlib
import io
import tarfile

import pytest

from tests.certificates.conftest import bring_to
from tests.conftest import PASSWORD, fresh_database
from trainer.certificates.services import certificate_for
from trainer.extensions import db as _db
from trainer.permissions import Role
from trainer.training.stages import Stage


@pytest.fixture
def new_site(make_app, tmp_path):
    """An empty database: the machine the backup is restored on."""
    with fresh_database(tmp_path, "trainer_restored") as url:
        site = make_app(SQLALCHEMY_DATABASE_URI=url)
        yield site
        with site.app_context():
            _db.session.remove()
            _db.engine.dispose()


def test_backup_then_restore_keeps_certificates_verifiable_and_downloadable(
    runner, certificate, new_site, tmp_path
):
    serial, code = certificate.serial, certificate.verification_code
    stored_hash = certificate.pdf_sha256
    assert stored_hash  # the PDF was written at issuance
    holder_no = certificate.employee_no
    archive = tmp_path / "site.tar.gz"

    result = runner.invoke(args=["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    assert "1 certificate PDFs" in result.output

    with new_site.app_context():  # the CLI runs on the new site, not the session's app
        restored = new_site.test_cli_runner().invoke(args=["restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    client = new_site.test_client()
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert serial in page
    client.post("/login", data={"employee_no": holder_no, "password": PASSWORD})
    download = client.get(f"/certificates/{certificate.id}/pdf")
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == stored_hash


def test_a_tampered_archive_is_refused(runner, certificate, new_site, tmp_path):
    archive, tampered = tmp_path / "site.tar.gz", tmp_path / "tampered.tar.gz"
    runner.invoke(args=["backup", "--out", str(archive)])
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name.startswith("database."):
                member.size = 3
                data = io.BytesIO(b"bad")
            target.addfile(member, data)
    with new_site.app_context():
        result = new_site.test_cli_runner().invoke(args=["restore", str(tampered), "--yes"])
    assert result.exit_code == 1
    assert "does not match its recorded SHA-256" in result.output


def test_files_kept_in_s3_travel_in_the_archive_and_restore_into_the_database(
    app,
    runner,
    s3_store,
    new_site,
    tmp_path,
    monkeypatch,
    db,
    make_user,
    make_hall,
    make_enrolment,
    make_cohort,
):
    monkeypatch.setitem(app.extensions, "storage", s3_store)
    trainer = make_user(Role.TRAINER, name="王培训")
    trainee = make_user(Role.TRAINEE, name="赵雪", hall=make_hall(name="人民路营业厅"))
    enrolment = make_enrolment(trainee, make_cohort(trainer=trainer))
    bring_to(enrolment, Stage.FINAL_PASSED, trainer)
    db.session.commit()
    certificate = certificate_for(enrolment)
    assert certificate.pdf_sha256
    archive = tmp_path / "site.tar.gz"

    result = runner.invoke(args=["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    assert "1 certificate PDFs, kept in s3" in result.output
    with tarfile.open(archive) as packed:
        assert f"files/certificates/{certificate.pdf_path}" in packed.getnames()

    with new_site.app_context():  # a site on the database store
        restored = new_site.test_cli_runner().invoke(args=["restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    client = new_site.test_client()
    client.post("/login", data={"employee_no": trainee.employee_no, "password": PASSWORD})
    download = client.get(f"/certificates/{certificate.id}/pdf")
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == certificate.pdf_sha256

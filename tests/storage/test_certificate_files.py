"""Certificates on each store: issued by one instance, downloaded and verified through another,
and a PDF lost from the store rendered for the download and stored again by the job."""

import hashlib
import subprocess

import pytest

from tests.certificates.conftest import bring_to
from tests.conftest import PASSWORD
from trainer import storage
from trainer.certificates.documents import storage_key
from trainer.certificates.services import certificate_for
from trainer.jobs.runner import run_job
from trainer.permissions import Role
from trainer.storage import DatabaseStore, S3Store
from trainer.training.stages import Stage


@pytest.fixture(params=["database", "s3"])
def site_store(request, app, monkeypatch):
    """The store of this site (instance A: the test's app), and the environment that
    chooses the same store for another instance."""
    if request.param == "database":
        monkeypatch.delenv("TRAINER_STORAGE_URL", raising=False)
        return DatabaseStore()
    store = request.getfixturevalue("s3_store")
    monkeypatch.setitem(app.extensions, "storage", store)
    monkeypatch.setenv("TRAINER_STORAGE_URL", store.url)
    monkeypatch.setenv("TRAINER_S3_ENDPOINT_URL", store.endpoint_url)
    return store


@pytest.fixture
def instance_b(app, make_app, site_store):
    """A second app instance on the same database, configured from the environment."""
    return make_app(SECRET_KEY=app.config["SECRET_KEY"])


@pytest.fixture
def issued(db, site_store, make_user, make_hall, make_enrolment, make_cohort):
    trainer = make_user(Role.TRAINER, name="王培训")
    trainee = make_user(Role.TRAINEE, name="孙晓燕", hall=make_hall(name="人民路营业厅"))
    enrolment = make_enrolment(trainee, make_cohort(trainer=trainer))
    bring_to(enrolment, Stage.FINAL_PASSED, trainer)
    db.session.commit()
    return certificate_for(enrolment)


def download_through(instance, certificate):
    client = instance.test_client()
    client.post("/login", data={"employee_no": certificate.employee_no, "password": PASSWORD})
    return client.get(f"/certificates/{certificate.id}/pdf")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "download.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_other_instance_chooses_the_same_store(instance_b, site_store):
    store = instance_b.extensions["storage"]
    assert type(store) is type(site_store)
    if isinstance(store, S3Store):
        assert (store.bucket, store.prefix) == (site_store.bucket, site_store.prefix)


def test_a_certificate_issued_on_one_instance_downloads_and_verifies_on_another(
    issued, site_store, instance_b
):
    stored = site_store.get(storage_key(issued.pdf_path))
    assert hashlib.sha256(stored).hexdigest() == issued.pdf_sha256
    download = download_through(instance_b, issued)
    assert download.status_code == 200 and download.data == stored
    page = instance_b.test_client().get(f"/verify/{issued.verification_code}")
    assert 'data-status="valid"' in page.get_data(as_text=True)


def test_a_pdf_lost_from_the_store_is_rendered_for_the_download_then_stored_again(
    db, issued, site_store, instance_b, tmp_path
):
    key = storage_key(issued.pdf_path)
    site_store.delete(key)
    db.session.commit()

    download = download_through(instance_b, issued)
    assert download.status_code == 200
    assert issued.serial in pdf_text(download.data, tmp_path)  # rendered afresh
    assert not site_store.exists(key)  # a GET writes nothing

    assert "1 of 1 missing PDFs stored" in run_job("certificates.issue_due").summary
    db.session.expire_all()
    again = certificate_for(issued.enrolment)
    assert storage.exists(key)
    assert hashlib.sha256(site_store.get(key)).hexdigest() == again.pdf_sha256
    assert download_through(instance_b, again).data == site_store.get(key)

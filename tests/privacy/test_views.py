"""The administrators' personal-data pages: admin only, CSRF, export download, anonymise."""

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.audit.models import AuditEntry
from trainer.certificates.models import Certificate
from trainer.extensions import db

from ..conftest import csrf_token

DEMO_PASSWORD = "demo1234"


@pytest.fixture
def admin(person, login_as):
    return login_as(person("A0001"), DEMO_PASSWORD)


@pytest.mark.parametrize("employee_no", ["T0001", "M0001", "E0020"])
def test_only_administrators_reach_the_pages(person, login_as, client, employee_no):
    login_as(person(employee_no), DEMO_PASSWORD)
    target = person("E0019").id
    for method, url in [
        ("get", "/admin/privacy/"),
        ("post", "/admin/privacy/"),
        ("post", "/admin/privacy/purge"),
        ("get", f"/admin/privacy/users/{target}"),
        ("post", f"/admin/privacy/users/{target}/export"),
        ("post", f"/admin/privacy/users/{target}/anonymise"),
    ]:
        assert getattr(client, method)(url).status_code == 403, url
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action.like("privacy.%"))) is None


def test_an_admin_finds_a_person_and_downloads_the_zip(admin, person, client):
    trainee = person("E0020")
    found = client.post("/admin/privacy/", data={"employee_no": "e0020"})
    assert found.headers["Location"].endswith(f"/admin/privacy/users/{trainee.id}")
    page = client.get(f"/admin/privacy/users/{trainee.id}").get_data(as_text=True)
    assert "internship_sign_off" in page and "E0020" in page
    response = client.post(f"/admin/privacy/users/{trainee.id}/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert json.loads(archive.read("personal-data.json"))["person"]["employee_no"] == "E0020"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.export"))
    assert entry.actor_id == admin.id


def test_an_unknown_employee_number_is_said_so(admin, client):
    page = client.post("/admin/privacy/", data={"employee_no": "X9999"}).get_data(as_text=True)
    assert "No user has employee number X9999." in page


def test_anonymising_asks_for_the_employee_number(admin, person, client):
    trainee = person("E0020")
    name = trainee.name
    refused = client.post(
        f"/admin/privacy/users/{trainee.id}/anonymise", data={"confirmation": "E0019"}
    )
    assert refused.status_code == 422 and "Type the employee number E0020" in refused.text
    db.session.expire_all()
    assert db.session.get(User, trainee.id).name == name

    done = client.post(
        f"/admin/privacy/users/{trainee.id}/anonymise", data={"confirmation": "E0020"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, trainee.id).anonymised_at is not None


def test_the_verify_page_says_anonymised(admin, person, client):
    trainee = person("E0020")
    name = trainee.name
    code = db.session.scalar(
        select(Certificate.verification_code).where(Certificate.user_id == trainee.id)
    )
    client.post(f"/admin/privacy/users/{trainee.id}/anonymise", data={"confirmation": "E0020"})
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert 'data-testid="verify-name">Anonymised<' in page
    register = client.get("/certificates").get_data(as_text=True)
    assert "Anonymised" in register and name not in register


def test_the_retention_page_shows_the_periods_and_purges(admin, client):
    page = client.get("/admin/privacy/").get_data(as_text=True)
    assert 'data-kind="notifications"' in page and "12 months" in page
    assert client.post("/admin/privacy/purge").status_code == 302
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.purge"))


def test_buttons_need_the_csrf_token(person, csrf_client):
    trainee = person("E0020")
    page = csrf_client.get("/login").get_data(as_text=True)
    csrf_client.post(
        "/login",
        data={"employee_no": "A0001", "password": DEMO_PASSWORD, "csrf_token": csrf_token(page)},
    )
    url = f"/admin/privacy/users/{trainee.id}/export"
    assert csrf_client.post(url).status_code == 400
    page = csrf_client.get(f"/admin/privacy/users/{trainee.id}").get_data(as_text=True)
    assert csrf_client.post(url, data={"csrf_token": csrf_token(page)}).status_code == 200


@pytest.mark.locale("zh_CN")
def test_the_pages_speak_chinese(admin, person, client):
    trainee = person("E0020")
    assert "个人信息" in client.get("/admin/privacy/").get_data(as_text=True)
    client.post(f"/admin/privacy/users/{trainee.id}/anonymise", data={"confirmation": "E0020"})
    code = db.session.scalar(
        select(Certificate.verification_code).where(Certificate.user_id == trainee.id)
    )
    assert "已匿名化" in client.get(f"/verify/{code}").get_data(as_text=True)

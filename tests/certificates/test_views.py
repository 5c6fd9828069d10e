"""Public verification, downloads, the register, exports and revocation over HTTP."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from trainer.audit.models import AuditEntry
from trainer.certificates.documents import read_pdf
from trainer.permissions import Role


def test_verify_page_is_public_and_shows_only_status_name_and_hall(client, certificate):
    response = client.get(f"/verify/{certificate.verification_code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-status="valid"' in html
    assert "张伟明" in html and "人民路营业厅" in html
    assert certificate.employee_no not in html
    assert certificate.user.phone is None or certificate.user.phone not in html


def test_verify_page_says_unknown_for_a_tampered_code(client, certificate):
    code = certificate.verification_code
    tampered = ("B" if code[0] == "A" else "A") + code[1:]
    html = client.get(f"/verify/{tampered}").get_data(as_text=True)
    assert 'data-status="unknown"' in html and "张伟明" not in html


def test_verify_form_needs_the_matching_serial(client, certificate):
    code = certificate.verification_code
    ok = client.get("/verify", query_string={"serial": certificate.serial, "code": code.lower()})
    wrong = client.get("/verify", query_string={"serial": "SQ-2001-000009", "code": code})
    assert 'data-status="valid"' in ok.get_data(as_text=True)
    assert 'data-status="unknown"' in wrong.get_data(as_text=True)


def test_verification_is_rate_limited(app, client, certificate, monkeypatch):
    monkeypatch.setitem(app.config, "CERTIFICATE_VERIFY_RATE_LIMIT", "3 per minute")
    codes = [client.get(f"/verify/GUESS{n:015d}").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]


def test_holder_downloads_the_stored_bytes(client, login_as, certificate):
    login_as(certificate.user)
    response = client.get(f"/certificates/{certificate.id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == read_pdf(certificate)
    assert certificate.serial in response.headers["Content-Disposition"]


def test_another_trainee_cannot_download_it(client, login_as, make_user, certificate):
    login_as(make_user(Role.TRAINEE))
    assert client.get(f"/certificates/{certificate.id}/pdf").status_code == 404


def test_anonymous_download_goes_to_login(client, certificate):
    response = client.get(f"/certificates/{certificate.id}/pdf")
    assert response.status_code == 302 and "/login" in response.location


def test_trainee_dashboard_offers_the_download(client, login_as, certificate):
    login_as(certificate.user)
    html = client.get("/").get_data(as_text=True)
    assert f"/certificates/{certificate.id}/pdf" in html and certificate.serial in html


def test_trainee_cannot_open_the_register(client, login_as, certificate):
    login_as(certificate.user)
    assert client.get("/certificates").status_code == 403


def test_register_filters_by_status(client, login_as, trainer_user, certificate):
    login_as(trainer_user)
    assert certificate.serial in client.get("/certificates?status=valid").get_data(as_text=True)
    revoked = client.get("/certificates?status=revoked").get_data(as_text=True)
    assert certificate.serial not in revoked


@pytest.mark.locale("zh_CN")
def test_register_exports_csv_with_bom(client, login_as, trainer_user, certificate):
    login_as(trainer_user)
    response = client.get("/certificates/export.csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["证书编号", "姓名"]
    assert rows[1][:2] == [certificate.serial, "张伟明"] and rows[1][7] == "有效"


def test_register_exports_xlsx(client, login_as, trainer_user, certificate):
    login_as(trainer_user)
    response = client.get("/certificates/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[2]][:2] == [certificate.serial, "张伟明"]


def test_trainer_revokes_with_a_reason_and_the_page_shows_it(
    client, login_as, trainer_user, certificate, db
):
    login_as(trainer_user)
    response = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "证件造假"})
    assert response.status_code == 302
    html = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert 'data-status="revoked"' in html
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.revoke"))


def test_revoking_without_a_reason_changes_nothing(client, login_as, trainer_user, certificate):
    login_as(trainer_user)
    client.post(f"/certificates/{certificate.id}/revoke", data={"reason": ""})
    html = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert 'data-status="valid"' in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_mentor_cannot_revoke(client, login_as, make_user, certificate, method):
    login_as(make_user(Role.MENTOR))
    response = getattr(client, method)(f"/certificates/{certificate.id}/revoke")
    assert response.status_code in (403, 405)


def test_the_empty_verify_form_asks_without_complaining(client):
    html = client.get("/verify").get_data(as_text=True)
    assert "This field is required" not in html
    submitted = client.get("/verify", query_string={"serial": "", "code": ""})
    assert "This field is required" in submitted.get_data(as_text=True)


def test_register_exports_raw_codes_on_request(client, login_as, trainer_user, certificate):
    login_as(trainer_user)
    response = client.get("/certificates/export.csv?raw=1")
    assert response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["serial"] == certificate.serial and rows[0]["status"] == "valid"

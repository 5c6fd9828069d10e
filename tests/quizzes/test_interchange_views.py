"""The trainer's bank import and export pages offer Moodle XML next to GIFT, YAML and JSON."""

from pathlib import Path

from sqlalchemy import func, select

from trainer.permissions import Role
from trainer.quizzes.models import Question

EXPORT = Path(__file__).parent / "data" / "moodle_export.xml"


def upload(client, **fields):
    data = {"file": (EXPORT.open("rb"), "moodle_export.xml"), "format": "auto", **fields}
    return client.post("/manage/banks/import", data=data, content_type="multipart/form-data")


def test_the_pages_offer_moodle_xml(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    page = client.get("/manage/banks").get_data(as_text=True)
    assert '<option value="moodlexml">Moodle XML</option>' in page
    assert f"/manage/banks/{bank.id}/export.moodlexml" in page
    assert 'name="skip_unsupported"' in page


def test_an_upload_with_an_unsupported_type_imports_nothing(db, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    response = upload(client)
    assert response.status_code == 422
    assert "moodle_export.xml:74: type: question type calculatedsimple" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_skipping_unsupported_types_imports_the_rest_and_says_what_was_left(
    db, client, login_as, make_user
):
    login_as(make_user(Role.TRAINER))
    response = upload(client, bank="迁移", skip_unsupported="y")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 created" in page
    assert "calculatedsimple is not supported: 话费计算" in page
    assert "description &#39;说明&#39; skipped" in page
    assert 'data-testid="question-title">识别旗帜</strong>' in page


def test_the_export_is_a_moodle_xml_download(db, bank, client, login_as, make_user):
    login_as(make_user(Role.TRAINER))
    response = client.get(f"/manage/banks/{bank.id}/export.moodlexml")
    assert response.mimetype == "application/xml"
    assert response.headers["Content-Disposition"].endswith("test_bank.xml")
    assert response.get_data(as_text=True).startswith('<?xml version="1.0" encoding="UTF-8"?>')

"""Every download is named with RFC 5987 `filename*` and a safe ASCII fallback."""

from urllib.parse import unquote

import pytest

from tests.quizzes.conftest import QUESTIONS
from trainer.downloads import ascii_fallback, content_disposition
from trainer.permissions import Role
from trainer.quizzes.banks import import_questions
from trainer.quizzes.questions import normalise_question


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("测试题库.yaml", "download.yaml"),
        ("测试题库.gift.txt", "download.gift.txt"),
        ("results-cohort3.csv", "results-cohort3.csv"),
        ('a"b\r\nSet-Cookie: x.csv', "a_b_Set-Cookie_x.csv"),
        ("Café 营业厅.pdf", "Cafe.pdf"),
    ],
)
def test_the_ascii_fallback_keeps_the_extension_and_nothing_unsafe(name, fallback):
    assert ascii_fallback(name) == fallback


def test_the_header_carries_the_utf8_name_percent_encoded():
    header = content_disposition("测试题库.yaml")
    assert header.startswith('attachment; filename="download.yaml"; ')
    encoded = header.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "测试题库.yaml" and encoded.isascii()


def test_a_chinese_bank_export_is_a_valid_response(db, client, login_as, make_user):
    bank = import_questions(
        None, "测试题库", [normalise_question(q) for q in QUESTIONS], title="测试题库"
    ).bank
    db.session.commit()
    login_as(make_user(Role.TRAINER))
    response = client.get(f"/manage/banks/{bank.id}/export.yaml")
    assert response.status_code == 200
    assert (
        "filename*=UTF-8''%E6%B5%8B%E8%AF%95%E9%A2%98%E5%BA%93.yaml"
        in (response.headers["Content-Disposition"])
    )

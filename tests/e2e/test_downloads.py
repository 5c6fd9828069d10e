"""Downloads named in Chinese arrive under their Chinese names in a real Chromium."""

import pytest

from tests.quizzes.conftest import QUESTIONS
from trainer.permissions import Role
from trainer.quizzes.banks import import_questions
from trainer.quizzes.questions import normalise_question

SUFFIX = {"gift": "gift.txt", "yaml": "yaml", "json": "json", "moodlexml": "xml"}


@pytest.fixture
def chinese_bank(db):
    questions = [normalise_question(q) for q in QUESTIONS]
    summary = import_questions(None, "测试题库", questions, title="测试题库")
    db.session.commit()
    return summary.bank


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_a_bank_named_in_chinese_downloads_under_its_name(
    page, browser_login, make_user, chinese_bank, fmt, tmp_path
):
    browser_login(page, make_user(Role.TRAINER))
    page.goto(f"/manage/banks/{chinese_bank.id}")
    with page.expect_download() as download_info:
        page.click(f"a[data-format={fmt}]")
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == f"测试题库.{SUFFIX[fmt]}"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.stat().st_size > 0

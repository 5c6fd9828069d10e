"""The mentors' overdue reminder reads in the mentor's language, the site's by default."""

import logging

import pytest

from trainer import clock
from trainer.internship.queries import overdue_by_mentor
from trainer.internship.reminders import compose_reminder, send_overdue_reminders


@pytest.fixture
def overdue(make_placement, mentor):
    """The mentor's overdue rows nine days after a placement (week-1 tasks are overdue)."""
    make_placement()
    with clock.travel(days=9):
        yield overdue_by_mentor()[mentor]


@pytest.mark.locale("zh_CN")
def test_the_reminder_reads_in_chinese_by_default(overdue, mentor):
    subject, _lines, body = compose_reminder(mentor, overdue)
    assert (subject, body.splitlines()[0]) == (
        "带教任务逾期提醒",
        "以下带教任务已逾期，请尽快安排观察与签字：",
    )


@pytest.mark.locale("zh_CN")
def test_each_overdue_task_reads_in_chinese_by_default(overdue, mentor):
    _subject, lines, _body = compose_reminder(mentor, overdue)
    assert all("到期" in line and "due" not in line for line in lines)


@pytest.mark.locale("zh_CN")
def test_the_reminder_reads_in_english_for_a_mentor_who_chose_english(overdue, mentor, db):
    mentor.locale = "en"
    db.session.commit()
    subject, lines, body = compose_reminder(mentor, overdue)
    assert subject == "Overdue internship tasks"
    assert body.startswith("These internship tasks are overdue")
    assert all(" · due " in line and "到期" not in line for line in lines)


@pytest.mark.locale("zh_CN")
def test_the_daily_job_logs_each_mentor_their_list_in_their_language(overdue, mentor, db, caplog):
    mentor.locale = "en"
    db.session.commit()
    with caplog.at_level(logging.WARNING, logger="trainer.internship.reminders"):
        (reminder,) = send_overdue_reminders()
    assert reminder.delivery == "logged"
    assert "These internship tasks are overdue" in caplog.text and "逾期" not in caplog.text

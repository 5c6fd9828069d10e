"""Retention: the purge removes what is older than each kind's period, on a frozen clock."""

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.extensions import db
from trainer.internship.models import LogComment, LogEntry
from trainer.jobs.runner import run_job
from trainer.notifications.models import Notification
from trainer.privacy.retention import months_before, settings_from_environment
from trainer.privacy.services import purge
from trainer.roleplay.models import DrillStep

REPLIES = select(func.count()).where(DrillStep.reply_text.is_not(None), DrillStep.reply_text != "")


@pytest.fixture
def periods(app, monkeypatch):
    for key, months in {"DRILL_REPLIES": 6, "PRACTICE_LOGS": 6, "SESSIONS": 6,
                        "NOTIFICATIONS": 12, "AUDIT": 0}.items():  # fmt: skip
        monkeypatch.setitem(app.config, f"RETAIN_{key}_MONTHS", months)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_nothing_recent_is_purged(demo_data, periods):
    counts = purge(None, dry_run=True)
    assert counts == {"drill_replies": 0, "practice_logs": 0, "notifications": 0,
                      "sessions": 0, "audit": None}  # fmt: skip


def test_replies_and_logs_go_after_six_months_and_scores_stay(demo_data, periods):
    replies, logs = db.session.scalar(REPLIES), count(LogEntry)
    assert count(LogComment)
    points = db.session.scalar(select(func.sum(DrillStep.points)))
    assert replies and logs
    with clock.travel(days=7 * 31):
        dry = purge(None, dry_run=True)
        db.session.rollback()
        assert (dry["drill_replies"], dry["practice_logs"]) == (replies, logs)
        assert db.session.scalar(REPLIES) == replies  # a dry run changes nothing

        assert purge(None) == dry
        db.session.commit()
        assert db.session.scalar(REPLIES) == 0 and count(LogEntry) == count(LogComment) == 0
        assert db.session.scalar(select(func.sum(DrillStep.points))) == points
        assert purge(None)["drill_replies"] == 0  # twice removes nothing more


def test_the_purge_is_audited_with_its_counts(demo_data, periods):
    with clock.travel(days=7 * 31):
        counts = purge(None)
        db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.purge"))
    assert entry.after["removed"] == counts and entry.after["months"]["drill_replies"] == 6


def test_notifications_are_kept_twelve_calendar_months(make_user, periods):
    user = make_user()
    for day in (date(2025, 1, 10), date(2025, 2, 19)):
        with clock.travel_to(datetime(day.year, day.month, day.day, 4, tzinfo=UTC)):
            db.session.add(Notification(user_id=user.id, kind="test", message="m",
                                        dedupe_key=str(day)))  # fmt: skip
            db.session.commit()
    with clock.travel_to(datetime(2026, 1, 31, 12, tzinfo=UTC)):
        assert purge(None)["notifications"] == 1
        db.session.commit()
    assert db.session.scalars(select(Notification.dedupe_key)).all() == ["2025-02-19"]


def test_the_scheduled_job_purges(demo_data, periods):
    with clock.travel(days=7 * 31):
        result = run_job("privacy.purge")
    assert result.outcome == "done" and "drill_replies: " in result.summary
    assert db.session.scalar(REPLIES) == 0


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(date(2026, 3, 31), 1, date(2026, 2, 28)), (date(2026, 1, 15), 13, date(2024, 12, 15))],
)
def test_months_are_calendar_months(day, months, expected):
    assert months_before(day, months) == expected


def test_retention_periods_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRAINER_RETAIN_AUDIT_MONTHS", "24")
    app = Flask(__name__)
    settings_from_environment(app)
    assert app.config["RETAIN_AUDIT_MONTHS"] == 24 and app.config["RETAIN_SESSIONS_MONTHS"] == 6


def test_a_bad_retention_setting_stops_the_start(monkeypatch):
    monkeypatch.setenv("TRAINER_RETAIN_AUDIT_MONTHS", "two years")
    with pytest.raises(RuntimeError, match="TRAINER_RETAIN_AUDIT_MONTHS"):
        settings_from_environment(Flask(__name__))

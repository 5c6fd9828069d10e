"""Retention: how long personal data of each kind is kept, and the purge that applies it.

Periods are whole months, from the environment (`TRAINER_RETAIN_<KIND>_MONTHS`; 0 keeps
forever) into the app's config. The purge is a scheduled job (`privacy.purge`) and a command
(`trainer privacy purge [--dry-run]`); it only ever removes what is older than the period
counted back from today (business calendar), so running it twice removes nothing more.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, select, update

from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.auth.models import UserSession
from trainer.extensions import db
from trainer.internship.models import LogEntry
from trainer.notifications.models import Notification
from trainer.privacy.anonymise import walk
from trainer.roleplay.models import DrillSession, DrillStep


@dataclass(frozen=True)
class Kind:
    key: str
    label: object  # lazy string
    default_months: int
    # (cutoff, dry_run) -> rows concerned
    purge: Callable[[datetime, bool], int]

    @property
    def setting(self) -> str:
        return f"RETAIN_{self.key.upper()}_MONTHS"

    def months(self) -> int:
        return int(current_app.config.get(self.setting, self.default_months))


def _count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def purge_drill_replies(cutoff: datetime, dry_run: bool) -> int:
    """Typed replies (and the findings quoting them) are blanked; scores and points stay."""
    query = select(DrillStep.id, DrillStep.reply_text, DrillStep.findings).where(
        DrillStep.created_at < cutoff, DrillStep.reply_text.is_not(None), DrillStep.reply_text != ""
    )
    if dry_run:
        return _count(query)
    rows = db.session.execute(query).all()
    for row in rows:

        def quoted(text: str, reply: str = row.reply_text) -> str:
            return "" if text and text in reply else text

        db.session.execute(
            update(DrillStep)
            .where(DrillStep.id == row.id)
            .values(reply_text="", findings=walk(row.findings, quoted))
        )
    db.session.execute(
        update(DrillSession)
        .where(DrillSession.updated_at < cutoff, DrillSession.draft.is_not(None))
        .values(draft=None)
    )
    return len(rows)


def _deleting(model, column) -> Callable[[datetime, bool], int]:
    def purge(cutoff: datetime, dry_run: bool) -> int:
        if dry_run:
            return _count(select(model).where(column < cutoff))
        return db.session.execute(delete(model).where(column < cutoff)).rowcount

    return purge


KINDS = (
    Kind("drill_replies", _l("Typed drill replies (scores stay)"), 0, purge_drill_replies),
    Kind(
        "practice_logs",
        _l("Internship practice logs and their comments"),
        0,
        _deleting(LogEntry, LogEntry.created_at),
    ),
    Kind(
        "notifications", _l("Notifications"), 12, _deleting(Notification, Notification.created_at)
    ),
    Kind(
        "sessions",
        _l("Sign-in records (address, browser)"),
        6,
        _deleting(UserSession, UserSession.created_at),
    ),
    Kind("audit", _l("Audit log entries"), 0, _deleting(AuditEntry, AuditEntry.created_at)),
)


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):  # the same day, or the month's last
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def cutoff_for(months: int) -> datetime:
    return clock.start_of_day(months_before(clock.today(), months))


def run_purge(dry_run: bool) -> dict[str, int | None]:
    """Rows concerned per kind (None: kept forever). Changes nothing when `dry_run`."""
    counts: dict[str, int | None] = {}
    for kind in KINDS:
        months = kind.months()
        counts[kind.key] = kind.purge(cutoff_for(months), dry_run) if months > 0 else None
    return counts


def settings_from_environment(app: Flask) -> None:
    for kind in KINDS:
        value = os.environ.get(f"TRAINER_{kind.setting}")
        if value is None:
            app.config.setdefault(kind.setting, kind.default_months)
            continue
        try:
            months = int(value)
            if months < 0:
                raise ValueError
        except ValueError:
            raise RuntimeError(
                f"TRAINER_{kind.setting} must be a whole number of months (0 keeps forever), "
                f"not {value!r}"
            ) from None
        app.config.setdefault(kind.setting, months)

"""Overdue-task reminders to mentors: one message per mentor with their overdue list.

Sent by e-mail when MAIL_SERVER is set, written to the log otherwise, in the mentor's language
(the site's default when they chose none). The daily job sends them once per business day
whoever runs it (the scheduler claims the day's occurrence).
"""

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, gettext

from trainer.accounts.models import User
from trainer.internship.queries import OverdueTask, overdue_by_mentor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    mentor: User
    lines: list[str]
    delivery: str  # mailed | logged


def overdue_lines(rows: list[OverdueTask]) -> list[str]:
    """One line per overdue task, in the current locale."""
    return [
        "  "
        + gettext(
            "%(employee_no)s %(name)s · week %(week)s %(task)s · due %(date)s"
            " · %(observed)s/%(needed)s",
            employee_no=row.placement.enrolment.user.employee_no,
            name=row.placement.enrolment.user.name,
            week=row.task.task.week,
            task=row.task.task.title,
            date=row.task.due.isoformat(),
            observed=row.task.observed,
            needed=row.task.task.observations_needed,
        )
        for row in rows
    ]


def compose_reminder(mentor: User, rows: list[OverdueTask]) -> tuple[str, list[str], str]:
    """(subject, lines, body) in the mentor's language."""
    with force_locale(mentor.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        subject = gettext("Overdue internship tasks")
        lines = overdue_lines(rows)
        intro = gettext(
            "These internship tasks are overdue; please arrange the observations and"
            " sign-offs soon:"
        )
    return subject, lines, "\n".join([intro, *lines])


def send_reminder(mentor: User, rows: list[OverdueTask]) -> tuple[list[str], str]:
    """Mail (or log) one mentor's list; returns its lines and how it was delivered."""
    subject, lines, body = compose_reminder(mentor, rows)
    server = current_app.config.get("MAIL_SERVER")
    if not server or not mentor.email:
        log.warning("overdue reminder for %s (no mail sent):\n%s", mentor.employee_no, body)
        return lines, "logged"
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config.get("MAIL_FROM", "trainer@localhost")
    message["To"] = mentor.email
    message.set_content(body)
    with smtplib.SMTP(server) as smtp:
        smtp.send_message(message)
    return lines, "mailed"


def send_overdue_reminders() -> list[Reminder]:
    return [
        Reminder(mentor, *send_reminder(mentor, rows))
        for mentor, rows in overdue_by_mentor().items()
    ]


def overdue_reminders_job() -> str:
    """The scheduled job (daily, morning in the business time zone)."""
    reminders = send_overdue_reminders()
    return f"{len(reminders)} mentors reminded"

"""Overdue-task reminders to mentors: one message per mentor with their overdue list.

Sent by e-mail when MAIL_SERVER is set, written to the log otherwise. The daily job sends them
once per business day whoever runs it (the scheduler claims the day's occurrence).
"""

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app

from trainer.accounts.models import User
from trainer.internship.queries import OverdueTask, overdue_by_mentor

log = logging.getLogger(__name__)
SUBJECT = "带教任务逾期提醒"


@dataclass(frozen=True)
class Reminder:
    mentor: User
    lines: list[str]
    delivery: str  # mailed | logged


def overdue_lines(rows: list[OverdueTask]) -> list[str]:
    return [
        f"  {row.placement.enrolment.user.employee_no} {row.placement.enrolment.user.name}"
        f" · W{row.task.task.week} {row.task.task.title} · due {row.task.due.isoformat()}"
        f" · {row.task.observed}/{row.task.task.observations_needed}"
        for row in rows
    ]


def send_reminder(mentor: User, lines: list[str]) -> str:
    """Mail (or log) one mentor's list; returns how it was delivered."""
    body = "以下带教任务已逾期，请尽快安排观察与签字：\n" + "\n".join(lines)
    server = current_app.config.get("MAIL_SERVER")
    if not server or not mentor.email:
        log.warning("overdue reminder for %s (no mail sent):\n%s", mentor.employee_no, body)
        return "logged"
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["From"] = current_app.config.get("MAIL_FROM", "trainer@localhost")
    message["To"] = mentor.email
    message.set_content(body)
    with smtplib.SMTP(server) as smtp:
        smtp.send_message(message)
    return "mailed"


def send_overdue_reminders() -> list[Reminder]:
    return [
        Reminder(mentor, lines, send_reminder(mentor, lines))
        for mentor, rows in overdue_by_mentor().items()
        for lines in [overdue_lines(rows)]
    ]


def overdue_reminders_job() -> str:
    """The scheduled job (daily, morning in the business time zone)."""
    reminders = send_overdue_reminders()
    return f"{len(reminders)} mentors reminded"

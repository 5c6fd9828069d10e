"""E-mail for notifications: a job, never the request that caused them.

Every minute `send_pending_mail` takes the notifications whose mail is pending, one user at a
time, and sends that user one message listing them, in the user's language. Without
MAIL_SERVER the message goes to the log (as the overdue reminders always did). A user who
turned e-mail off has nothing pending (their notifications are created `skipped`).

Each user's batch is claimed first with a conditional UPDATE to a token of this run, so two
runs at once (a manual `trainer jobs run` beside the scheduler) never send the same mail twice.
"""

import logging
import secrets
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select, update

from trainer import clock
from trainer.accounts.models import User
from trainer.extensions import db
from trainer.notifications.models import MailState, Notification
from trainer.notifications.services import text_of

log = logging.getLogger(__name__)
MAX_PER_MESSAGE = 50


def pending_users() -> list[int]:
    return list(
        db.session.scalars(
            select(Notification.user_id)
            .where(Notification.mail_state == MailState.PENDING)
            .distinct()
            .order_by(Notification.user_id)
        )
    )


def claim(user_id: int) -> tuple[str, list[Notification]]:
    token = "claim:" + secrets.token_hex(6)
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.mail_state == MailState.PENDING)
        .values(mail_state=token)
    )
    db.session.commit()
    claimed = db.session.scalars(
        select(Notification)
        .where(Notification.mail_state == token)
        .order_by(Notification.created_at, Notification.id)
    ).all()
    return token, list(claimed)


def compose(user: User, notifications: list[Notification]) -> tuple[str, str]:
    """(subject, body) in the user's language."""
    with force_locale(user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        subject = gettext(
            "Window Service Training: %(count)d new notifications", count=len(notifications)
        )
        lines = [f"· {text_of(n)}" for n in notifications[:MAX_PER_MESSAGE]]
        if len(notifications) > MAX_PER_MESSAGE:
            lines.append(
                gettext("… and %(count)d more", count=len(notifications) - MAX_PER_MESSAGE)
            )
        base = current_app.config.get("PUBLIC_BASE_URL", "")
        footer = gettext(
            "Open %(url)s to see them. You can turn these e-mails off on the notifications page.",
            url=f"{base.rstrip('/')}/notifications",
        )
    return subject, "\n".join([*lines, "", footer])


def deliver(user: User, subject: str, body: str) -> str:
    """Send one message; the resulting MailState."""
    server = current_app.config.get("MAIL_SERVER")
    if not user.email:
        return MailState.SKIPPED
    if not server:
        log.warning(
            "notification mail for %s (no MAIL_SERVER, not sent):\n%s\n%s",
            user.employee_no,
            subject,
            body,
        )
        return MailState.LOGGED
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config.get("MAIL_FROM", "trainer@localhost")
    message["To"] = user.email
    message.set_content(body)
    with smtplib.SMTP(server, timeout=30) as smtp:  # "host" or "host:port"
        smtp.send_message(message)
    return MailState.SENT


def send_pending_mail() -> str:
    """The job (every minute)."""
    counts: dict[str, int] = {}
    for user_id in pending_users():
        token, notifications = claim(user_id)
        if not notifications:
            continue  # another run claimed them first
        user = db.session.get(User, user_id)
        try:
            state = deliver(user, *compose(user, notifications))
        except (OSError, smtplib.SMTPException):
            log.exception("notification mail for user %s failed", user_id)
            state = MailState.FAILED
        db.session.execute(
            update(Notification)
            .where(Notification.mail_state == token)
            .values(mail_state=state, mailed_at=clock.now())
        )
        db.session.commit()
        counts[state] = counts.get(state, 0) + 1
    return ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "nothing to send"

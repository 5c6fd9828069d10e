"""The notification centre: a bell with the unread count, a paginated list, e-mail.

Features announce events (trainer/events.py); this package, above the features it listens
to, turns them into notifications after the announcing commit (`listeners.py`), adds the ones
time brings with scheduled jobs (`periodic.py`), and mails them with a job (`mail.py`), never
inside the request that caused them.
"""

from flask import Flask
from flask_login import current_user

from trainer.jobs.registry import register_job
from trainer.notifications.demo import settle_notifications
from trainer.notifications.listeners import register_listeners
from trainer.notifications.mail import send_pending_mail
from trainer.notifications.periodic import certificate_expiry_job, task_reminders_job
from trainer.notifications.services import unread_count
from trainer.notifications.views import bp
from trainer.seeding import register_seeder


def bell() -> dict:
    """The navbar's unread count (a read: GETs never write)."""
    if not current_user.is_authenticated:
        return {}
    return {"notification_unread": unread_count(current_user)}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(bell)
    register_listeners(app)
    register_seeder(app, "notifications", settle_notifications, order=1100)
    register_job(
        app,
        "notifications.mail",
        send_pending_mail,
        cron="* * * * *",
        description="e-mail pending notifications (mail with MAIL_SERVER, else the log)",
    )
    register_job(
        app,
        "notifications.task_reminders",
        task_reminders_job,
        cron="30 7 * * *",
        description="tell mentors of tasks due within two days or overdue",
    )
    register_job(
        app,
        "notifications.certificate_expiry",
        certificate_expiry_job,
        cron="35 7 * * *",
        description="tell holders of certificates expiring within 60 days",
    )

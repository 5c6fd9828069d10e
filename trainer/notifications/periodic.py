"""Notifications that time alone brings (scheduled jobs, never a page view): tasks due or
overdue for mentors, certificates about to expire for their holders. Idempotent: each
notification's key holds the thing (and, for daily reminders, the business date), so a job
run twice in a day adds nothing."""

from datetime import timedelta

from trainer import clock
from trainer.certificates.services import expiring
from trainer.internship.queries import active_placements, progress_for_many
from trainer.notifications import kinds
from trainer.notifications.services import Link, notify

DUE_SOON_DAYS = 2  # a task due within this many days is announced to the mentor (once)
EXPIRY_NOTICE_DAYS = 60


def task_reminders_job() -> str:
    """Daily: each mentor hears of their mentees' required tasks that fall due within two
    days (once per task) or are overdue (once per task and day)."""
    today = clock.today()
    placements = active_placements()
    progress = progress_for_many(placements)
    added = 0
    for placement in placements:
        for task in progress[placement.id].tasks:
            if task.done or not task.task.required:
                continue
            common = {
                "link": Link.to("internship.mentee", enrolment_id=placement.enrolment_id),
                "trainee": placement.enrolment.user.name,
                "task": task.task.title,
                "due": task.due.isoformat(),
            }
            if task.overdue:
                key = f"task_overdue:{placement.id}:{task.task.id}:{today.isoformat()}"
                added += bool(notify(placement.mentor, kinds.TASK_OVERDUE, key=key, **common))
            elif task.due - today <= timedelta(days=DUE_SOON_DAYS):
                key = f"task_due:{placement.id}:{task.task.id}"
                added += bool(notify(placement.mentor, kinds.TASK_DUE, key=key, **common))
    return f"{added} task notifications"


def certificate_expiry_job() -> str:
    """Daily: holders of certificates expiring within 60 days hear of it (once each)."""
    added = 0
    for certificate in expiring(EXPIRY_NOTICE_DAYS):
        added += bool(
            notify(
                certificate.user,
                kinds.CERTIFICATE_EXPIRING,
                key=f"certificate_expiring:{certificate.id}",
                link=Link.to("dashboard.index"),
                serial=certificate.serial,
                date=certificate.expires_on.isoformat(),
            )
        )
    return f"{added} expiry notifications"

"""Demo data: the notifications the seeded history produced stay, as a user would find them
after a while — only the latest few unread — and none of them is mailed (it is history)."""

from sqlalchemy import select, update

from trainer import clock
from trainer.extensions import db
from trainer.notifications.models import MailState, Notification
from trainer.seeding import DemoContext

UNREAD_KEPT = 3


def settle_notifications(ctx: DemoContext) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.mail_state == MailState.PENDING)
        .values(mail_state=MailState.SKIPPED)
    )
    seen: dict[int, int] = {}
    older = []
    for notification_id, user_id in db.session.execute(
        select(Notification.id, Notification.user_id).order_by(Notification.id.desc())
    ):
        seen[user_id] = seen.get(user_id, 0) + 1
        if seen[user_id] > UNREAD_KEPT:
            older.append(notification_id)
    if older:
        db.session.execute(
            update(Notification).where(Notification.id.in_(older)).values(read_at=clock.now())
        )

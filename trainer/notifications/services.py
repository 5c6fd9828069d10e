"""Creating, reading and marking notifications; the e-mail preference.

`notify` is what listeners and jobs call. It is idempotent by `key` (unique per user), so the
same event handled twice, or a daily job run twice in a day, adds nothing. It never sends
mail: it marks the notification's mail pending (unless the user turned e-mail off) and the
mail job (`mail.py`) delivers it.
"""

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import BuildError

from trainer import clock
from trainer.accounts.models import User
from trainer.extensions import db
from trainer.notifications.kinds import KINDS, Kind
from trainer.notifications.models import MailState, Notification, NotificationPreference

PAGE_SIZE = 20


@dataclass(frozen=True)
class Link:
    endpoint: str
    args: dict

    @classmethod
    def to(cls, endpoint: str, **args) -> "Link":
        return cls(endpoint, args)


def wants_email(user: User) -> bool:
    preference = db.session.get(NotificationPreference, user.id)
    return preference is None or preference.email


def set_email_preference(user: User, email: bool) -> NotificationPreference:
    preference = db.session.get(NotificationPreference, user.id)
    if preference is None:
        preference = NotificationPreference(user_id=user.id, email=email)
        db.session.add(preference)
    preference.email = email
    if not email:  # what is still queued for this user is not sent either
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.mail_state == MailState.PENDING)
            .values(mail_state=MailState.SKIPPED)
        )
    db.session.flush()
    return preference


def notify(user: User | None, kind: Kind, *, key: str, link: Link | None = None, **params):
    """Add a notification for `user` unless one with `key` exists; returns it or None."""
    if user is None or not user.active:
        return None
    exists = db.session.scalar(
        select(Notification.id).where(
            Notification.user_id == user.id, Notification.dedupe_key == key
        )
    )
    if exists is not None:
        return None
    notification = Notification(
        user_id=user.id,
        kind=kind.name,
        message=kind.message,
        params={name: _plain(value) for name, value in params.items()},
        endpoint=link.endpoint if link else None,
        link_args=link.args if link else {},
        dedupe_key=key[:160],
        created_at=clock.now(),
        mail_state=MailState.PENDING if wants_email(user) else MailState.SKIPPED,
    )
    try:
        with db.session.begin_nested():  # a concurrent twin may insert the same key first
            db.session.add(notification)
    except IntegrityError:
        return None
    return notification


def _plain(value):
    """Parameters are stored as JSON: dates as ISO text, numbers without trailing zeros."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int | str) or value is None:
        return value
    return str(value)


# ---- reading ------------------------------------------------------------------------------


def text_of(notification: Notification) -> str:
    """The notification in the current language (Flask-Babel's locale)."""
    try:
        return gettext(notification.message, **notification.params)
    except (KeyError, ValueError, TypeError):  # a msgid changed under stored parameters
        return gettext(notification.message.replace("%", "%%"))


def url_of(notification: Notification) -> str | None:
    if not notification.endpoint:
        return None
    try:
        return url_for(notification.endpoint, **notification.link_args)
    except BuildError:  # a page that no longer exists: show the text without a link
        return None


def icon_of(notification: Notification) -> str:
    kind = KINDS.get(notification.kind)
    return kind.icon if kind else "bell"


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def page_of(user: User, page: int = 1, unread_only: bool = False):
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return db.paginate(
        query.order_by(Notification.created_at.desc(), Notification.id.desc()),
        page=page,
        per_page=PAGE_SIZE,
        error_out=False,
    )


def own_notification(user: User, notification_id: int) -> Notification | None:
    notification = db.session.get(Notification, notification_id)
    return notification if notification and notification.user_id == user.id else None


# ---- marking read ---------------------------------------------------------------------------


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = clock.now()
        db.session.flush()


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    return result.rowcount

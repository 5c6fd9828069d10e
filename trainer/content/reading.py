"""Minimum reading time of module pages: a page counts as studied only after the trainee has
had it open for long enough (issue 13: 72 pages "studied" by a script in 0.6 s).

The first view is recorded by a POST the page sends when it opens (the GET never writes); a
"studied" click with no view on record records it then, so the rule holds without JavaScript.
"""

import math
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainer import clock
from trainer.accounts.models import User
from trainer.audit.services import record
from trainer.content.models import ContentModule, ModulePage, PageView
from trainer.content.progress import mark_page_studied
from trainer.db import as_utc
from trainer.errors import DomainError
from trainer.extensions import db

CHARACTERS_PER_SECOND = 8  # a careful reader of Chinese: about 480 characters a minute
DEFAULT_FLOOR_SECONDS = 10
DEFAULT_CEILING_SECONDS = 180
MAX_SECONDS = 3600


class ReadTooFast(DomainError):
    """The page has not been open for its minimum reading time yet."""

    def __init__(self, seconds_left: int):
        self.seconds_left = seconds_left
        super().__init__(
            _l(
                "Please read this page a little longer: you can mark it studied in "
                "%(seconds)d seconds."
            ),
            seconds=seconds_left,
        )


def default_reading_seconds(body: str) -> int:
    """Seconds a page needs by its length (pure): 8 characters a second, 10 s to 3 min."""
    characters = sum(1 for ch in body if not ch.isspace())
    seconds = math.ceil(characters / CHARACTERS_PER_SECOND)
    return max(DEFAULT_FLOOR_SECONDS, min(DEFAULT_CEILING_SECONDS, seconds))


def required_seconds(page: ModulePage) -> int:
    """The trainer's minimum for the module, else the page's default."""
    if page.module.min_reading_seconds is not None:
        return page.module.min_reading_seconds
    return default_reading_seconds(page.body)


def first_view(user: User, page: ModulePage) -> datetime | None:
    return db.session.scalar(
        select(PageView.first_viewed_at).where(
            PageView.user_id == user.id, PageView.page_id == page.id
        )
    )


def record_page_opened(user: User, page: ModulePage) -> datetime:
    """Record the first time `user` opened `page` (later opens change nothing); return it."""
    if (seen := first_view(user, page)) is not None:
        return as_utc(seen)
    now = clock.now()
    try:
        with db.session.begin_nested():
            db.session.add(PageView(user_id=user.id, page_id=page.id, first_viewed_at=now))
    except IntegrityError:  # the page's beacon and a click raced: the first one stands
        return as_utc(first_view(user, page))
    return now


def study_page(user: User, page: ModulePage) -> bool:
    """Mark `page` studied for `user` once it has been open long enough (see mark_page_studied).

    Raises ReadTooFast (nothing studied) when the page has been open for less than its
    minimum, and ModuleLocked as mark_page_studied does.
    """
    if current_app.config.get("MODULE_READING_TIME", True):
        opened = record_page_opened(user, page)
        elapsed = (clock.now() - opened).total_seconds()
        needed = required_seconds(page)
        if elapsed < needed:
            raise ReadTooFast(max(1, math.ceil(needed - elapsed)))
    return mark_page_studied(user, page)


def set_min_reading_seconds(actor, module: ContentModule, seconds: int | None) -> None:
    """The trainer's minimum per page of `module`; None returns to the length-based default."""
    if seconds is not None and not 0 <= seconds <= MAX_SECONDS:
        raise DomainError(
            _l("The reading time must be between 0 and %(max)d seconds."), max=MAX_SECONDS
        )
    before = module.min_reading_seconds
    module.min_reading_seconds = seconds
    db.session.flush()
    record(
        actor,
        "module.reading_time",
        module,
        before={"min_reading_seconds": before},
        after={"min_reading_seconds": seconds},
    )

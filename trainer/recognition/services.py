"""Awarding and revoking 服务之星 / 示范窗口. Services flush and audit; the view commits."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from trainer import clock
from trainer.accounts.models import Hall, User
from trainer.audit.services import record
from trainer.db import as_utc
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.permissions import Role
from trainer.recognition.models import Award, AwardKind
from trainer.recognition.standings import month_bounds


class RecognitionError(DomainError, ValueError):
    """An award rule was broken; the message names the field and is shown to the user."""


def give_award(
    actor: User,
    kind: AwardKind,
    month: date,
    citation: str,
    *,
    user: User | None = None,
    hall: Hall | None = None,
) -> Award:
    """Award a star clerk (a person) or a model window (a hall) for `month`.

    Awarding the same winner the same month again returns the existing award unchanged,
    so a double submit records one.
    """
    if not actor.has_role(Role.TRAINER):
        raise RecognitionError(_("Only trainers give awards."))
    month = month_bounds(month)[0]
    if month > clock.today():
        raise RecognitionError(_("Month: awards are for a month that has begun."))
    if not citation.strip():
        raise RecognitionError(_("Citation: say what the award is for."))
    if kind is AwardKind.STAR_CLERK:
        if user is None or not user.has_role(Role.TRAINEE):
            raise RecognitionError(_("Winner: a service star must be a trainee."))
        hall = None
    else:
        if hall is None:
            raise RecognitionError(_("Hall: a model window names a hall."))
        user = None
    existing = find_award(kind, month, user=user, hall=hall)
    if existing is not None:
        return existing
    award = Award(
        kind=kind,
        month=month,
        user=user,
        hall=hall,
        citation=citation.strip(),
        awarded_by_id=actor.id,
    )
    db.session.add(award)
    db.session.flush()
    record(
        actor,
        "award.give",
        award,
        after={
            "kind": kind,
            "month": month,
            "user": user.employee_no if user else None,
            "hall": hall.code if hall else None,
            "citation": award.citation,
        },
    )
    return award


def revoke_award(actor: User, award: Award, reason: str) -> Award:
    if not actor.has_role(Role.TRAINER):
        raise RecognitionError(_("Only trainers revoke awards."))
    if not reason.strip():
        raise RecognitionError(_("Reason: say why the award is withdrawn."))
    if award.revoked_at is None:
        award.revoked_at = clock.now()
        award.revoked_reason = reason.strip()
        db.session.flush()
        record(
            actor,
            "award.revoke",
            award,
            before={"revoked": False},
            after={"revoked": True},
            reason=award.revoked_reason,
        )
    return award


def badges_for(user: User) -> list[Award]:
    """A trainee's standing awards: their own stars, and their hall's model-window titles for
    months they were on its staff throughout (a newcomer did not earn last month's title)."""
    conditions = [Award.user_id == user.id]
    if user.hall_id is not None:
        joined = clock.business_date(as_utc(user.created_at))
        conditions.append(and_(Award.hall_id == user.hall_id, Award.month > joined))
    return list(
        db.session.scalars(
            select(Award)
            .where(or_(*conditions), Award.revoked_at.is_(None))
            .order_by(Award.month.desc(), Award.id.desc())
        ).unique()
    )


def find_award(
    kind: AwardKind, month: date, *, user: User | None = None, hall: Hall | None = None
) -> Award | None:
    """The standing (not withdrawn) award of this kind for this winner in `month`'s month."""
    winner = Award.user_id == user.id if user is not None else Award.hall_id == hall.id
    return db.session.scalar(
        select(Award).where(
            Award.kind == kind,
            Award.month == month_bounds(month)[0],
            winner,
            Award.revoked_at.is_(None),
        )
    )


def awards_in(month: date) -> list[Award]:
    first, _following = month_bounds(month)
    return list(
        db.session.scalars(
            select(Award).where(Award.month == first).order_by(Award.kind, Award.id)
        ).unique()
    )

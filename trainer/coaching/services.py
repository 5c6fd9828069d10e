"""The rules of coaching talks: who may open one, what it must say, acknowledging and closing.

Services flush and audit; the view commits.
"""

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select

from trainer import clock
from trainer.accounts.models import User
from trainer.audit.services import record
from trainer.coaching.models import CoachingRecord
from trainer.errors import DomainError
from trainer.events import announce
from trainer.extensions import db
from trainer.internship.oversight import may_coach, mentee_ids, sees_everyone
from trainer.permissions import Role
from trainer.training.services import current_enrolment

FOCUS_KINDS = ("topic", "step", "phrase", "element", "scenario", "task")


RECORD_OPENED = "coaching.record_opened"  # announced with record_id, actor_id


class CoachingError(DomainError, ValueError):
    """A coaching rule was broken; the message names the field and is shown to the user."""


def _snapshot(rec: CoachingRecord) -> dict:
    return {
        "trainee": rec.trainee_id,
        "coach": rec.coach_id,
        "held_on": rec.held_on,
        "focus": rec.focus,
        "agreed_actions": rec.agreed_actions,
        "follow_up_on": rec.follow_up_on,
        "status": rec.status,
        "outcome": rec.outcome,
    }


def clean_focus(focus: list[dict]) -> list[dict]:
    """Keep well-formed focus items once each, in the order given."""
    seen, cleaned = set(), []
    for item in focus:
        kind, key = item.get("kind"), str(item.get("key", "")).strip()
        if kind not in FOCUS_KINDS or not key or (kind, key) in seen:
            continue
        seen.add((kind, key))
        cleaned.append({"kind": kind, "key": key, "label": str(item.get("label") or key)[:200]})
    return cleaned


def open_record(
    coach: User,
    trainee: User,
    *,
    agreed_actions: str,
    held_on: date | None = None,
    discussion: str = "",
    focus: list[dict] | None = None,
    follow_up_on: date | None = None,
) -> CoachingRecord:
    """Record a coaching talk the coach just held with `trainee`."""
    if not trainee.has_role(Role.TRAINEE):
        raise CoachingError(_("%(name)s is not a trainee.", name=trainee.name))
    if not may_coach(coach, trainee.id):
        raise CoachingError(_("You may coach only your own mentees."))
    held_on = held_on or clock.today()
    if held_on > clock.today():
        raise CoachingError(_("Date of the talk: it cannot be in the future."))
    if not agreed_actions.strip():
        raise CoachingError(_("Agreed actions: write at least one action."))
    if follow_up_on is not None and follow_up_on < held_on:
        raise CoachingError(_("Follow-up date: it cannot be before the talk."))
    enrolment = current_enrolment(trainee)
    rec = CoachingRecord(
        trainee=trainee,
        coach=coach,
        enrolment_id=enrolment.id if enrolment else None,
        held_on=held_on,
        focus=clean_focus(focus or []),
        discussion=discussion.strip(),
        agreed_actions=agreed_actions.strip(),
        follow_up_on=follow_up_on,
        status="open",
    )
    db.session.add(rec)
    db.session.flush()
    record(coach, "coaching.open", rec, after=_snapshot(rec))
    # The trainee is asked to acknowledge it (notifications listen, after the commit).
    announce(RECORD_OPENED, record_id=rec.id, actor_id=coach.id)
    return rec


def may_manage(user: User, rec: CoachingRecord) -> bool:
    """The coach who held the talk, any trainer, or the trainee's current mentor."""
    return rec.coach_id == user.id or may_coach(user, rec.trainee_id)


def record_outcome(
    actor: User,
    rec: CoachingRecord,
    outcome: str,
    *,
    close: bool = True,
    follow_up_on: date | None = None,
) -> CoachingRecord:
    """Write how the agreed actions went; close the record or set the next follow-up."""
    if not may_manage(actor, rec):
        raise CoachingError(_("You may update only your own coaching records."))
    if rec.closed:
        raise CoachingError(_("This coaching record is already closed."))
    if not outcome.strip():
        raise CoachingError(_("Outcome: describe how the agreed actions went."))
    if not close and (follow_up_on is None or follow_up_on < clock.today()):
        raise CoachingError(_("Next follow-up: choose today or a later date."))
    before = _snapshot(rec)
    rec.outcome = outcome.strip()
    if close:
        rec.status = "closed"
        rec.closed_at = clock.now()
    else:
        rec.follow_up_on = follow_up_on
    db.session.flush()
    record(
        actor,
        "coaching.close" if close else "coaching.follow_up",
        rec,
        before=before,
        after=_snapshot(rec),
    )
    return rec


def acknowledge(trainee: User, rec: CoachingRecord, comment: str = "") -> CoachingRecord:
    """The trainee confirms they have read the record. Acknowledging twice changes nothing."""
    if rec.trainee_id != trainee.id:
        raise CoachingError(_("Only the trainee coached can acknowledge this record."))
    if rec.acknowledged:
        return rec
    rec.acknowledged_at = clock.now()
    rec.trainee_comment = comment.strip()[:1000] or None
    db.session.flush()
    record(trainee, "coaching.acknowledge", rec, after={"comment": rec.trainee_comment})
    return rec


def records_for_trainee(trainee_id: int) -> list[CoachingRecord]:
    return list(
        db.session.scalars(
            select(CoachingRecord)
            .where(CoachingRecord.trainee_id == trainee_id)
            .order_by(CoachingRecord.held_on.desc(), CoachingRecord.id.desc())
        ).unique()
    )


def visible_records_query(user: User):
    """Records `user` may read: trainers all, mentors their mentees' and their own talks,
    trainees their own."""
    query = select(CoachingRecord)
    if sees_everyone(user):
        return query
    conditions = [CoachingRecord.trainee_id == user.id, CoachingRecord.coach_id == user.id]
    if user.has_role(Role.MENTOR):
        conditions.append(CoachingRecord.trainee_id.in_(mentee_ids(user) or {-1}))
    return query.where(or_(*conditions))


def may_read(user: User, rec: CoachingRecord) -> bool:
    return (
        sees_everyone(user)
        or rec.trainee_id == user.id
        or rec.coach_id == user.id
        or (user.has_role(Role.MENTOR) and rec.trainee_id in mentee_ids(user))
    )


def follow_ups_due(
    user: User, within_days: int = 7, limit: int | None = None
) -> list[CoachingRecord]:
    """Open records whose follow-up is due by `within_days` from today, for the coach (or
    every one a trainer can see), earliest first; overdue ones come first by date."""
    horizon = clock.today() + timedelta(days=within_days)
    query = visible_records_query(user).where(
        CoachingRecord.status == "open",
        CoachingRecord.follow_up_on.is_not(None),
        CoachingRecord.follow_up_on <= horizon,
    )
    if not sees_everyone(user):
        query = query.where(CoachingRecord.trainee_id != user.id)
    return list(
        db.session.scalars(
            query.order_by(CoachingRecord.follow_up_on, CoachingRecord.id).limit(limit)
        ).unique()
    )


def unacknowledged_for(trainee: User) -> list[CoachingRecord]:
    return list(
        db.session.scalars(
            select(CoachingRecord)
            .where(
                CoachingRecord.trainee_id == trainee.id, CoachingRecord.acknowledged_at.is_(None)
            )
            .order_by(CoachingRecord.held_on.desc())
        ).unique()
    )

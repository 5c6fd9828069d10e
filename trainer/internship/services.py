"""Internship rules that change data: placements, absences, logs, comments and sign-offs.

Services take the acting user explicitly, check what that user may do, flush and audit;
views commit. Whoever may act on a trainee is decided in `access.py`.
"""

import secrets
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from trainer import clock
from trainer.accounts.models import Hall, User
from trainer.audit.services import record
from trainer.errors import DomainError
from trainer.events import announce
from trainer.extensions import db
from trainer.internship.models import (
    Absence,
    Grade,
    InternshipPlan,
    LogComment,
    LogEntry,
    Placement,
    PlanTask,
    SignOff,
)
from trainer.permissions import Role
from trainer.training.models import Enrolment
from trainer.training.path import trainee_path
from trainer.training.stages import Stage

# Events announced to higher features (payload: ids).
LOG_ADDED = "internship.log_added"  # entry_id, actor_id
SIGNED_OFF = "internship.signed_off"  # sign_off_id, actor_id


class InternshipError(DomainError, ValueError):
    """A rule of the internship was broken; the message is safe to show."""


def new_idempotency_token() -> str:
    return secrets.token_urlsafe(24)


def active_placement(enrolment: Enrolment) -> Placement | None:
    return db.session.scalar(
        select(Placement).where(Placement.enrolment_id == enrolment.id, Placement.active)
    )


def placement_history(enrolment: Enrolment) -> list[Placement]:
    return list(
        db.session.scalars(
            select(Placement).where(Placement.enrolment_id == enrolment.id).order_by(Placement.id)
        )
    )


# ---- placement -------------------------------------------------------------------------


def place_trainee(
    actor: User,
    enrolment: Enrolment,
    *,
    hall: Hall,
    mentor: User,
    plan: InternshipPlan,
    start_date: date,
    duty_manager: User | None = None,
    reason: str = "",
) -> Placement:
    """Place a trainee with a mentor; on a reassignment the current placement is ended (kept
    as history) and the internship keeps its original start date unless the trainer changes it.
    """
    if not mentor.has_role(Role.MENTOR):
        raise InternshipError(_("%(name)s is not a mentor.", name=mentor.name))
    if mentor.id == enrolment.user_id:
        raise InternshipError(_("A trainee cannot mentor themselves."))
    if duty_manager is not None and not duty_manager.has_any_role(Role.MENTOR, Role.TRAINER):
        raise InternshipError(_("The duty manager must be a mentor or trainer account."))
    if enrolment.stage.reached(Stage.INTERNSHIP_COMPLETE):
        raise InternshipError(_("This trainee has already completed the internship."))
    current = active_placement(enrolment)
    if current is not None:
        if (
            current.mentor_id,
            current.hall_id,
            current.duty_manager_id,
            current.plan_id,
            current.start_date,
        ) == (mentor.id, hall.id, getattr(duty_manager, "id", None), plan.id, start_date):
            return current  # placing the same way twice changes nothing
        if not reason.strip():
            raise InternshipError(_("Give a reason for changing the placement."))
        current.active, current.ended_on = False, clock.today()
        current.end_reason = reason.strip()
        db.session.flush()  # the one-active-placement index must see the old row ended first
    placement = Placement(
        enrolment=enrolment,
        plan=plan,
        hall=hall,
        mentor=mentor,
        duty_manager=duty_manager,
        start_date=start_date,
        assigned_on=max(clock.today(), start_date),
        placed_by_id=actor.id if actor else None,
    )
    db.session.add(placement)
    db.session.flush()
    record(
        actor,
        "internship.reassign" if current else "internship.place",
        placement,
        before=_placement_snapshot(current) if current else None,
        after=_placement_snapshot(placement),
        reason=reason.strip() or None,
    )
    trainee_path.catch_up(enrolment, actor)
    return placement


def _placement_snapshot(placement: Placement) -> dict:
    return {
        "trainee": placement.enrolment.user.employee_no,
        "hall": placement.hall.code,
        "mentor": placement.mentor.employee_no,
        "duty_manager": placement.duty_manager.employee_no if placement.duty_manager else None,
        "plan": placement.plan.key,
        "start_date": placement.start_date,
    }


# ---- absences and the log --------------------------------------------------------------


def record_absence(actor: User, placement: Placement, day: date, reason: str) -> Absence:
    """Record a day off the internship; recording the same day twice keeps the first."""
    if not reason.strip():
        raise InternshipError(_("Give a reason for the absence."))
    if day < placement.start_date:
        raise InternshipError(_("The internship had not started on that day."))
    existing = db.session.scalar(
        select(Absence).where(Absence.enrolment_id == placement.enrolment_id, Absence.day == day)
    )
    if existing is not None:
        return existing
    absence = Absence(
        enrolment_id=placement.enrolment_id, day=day, reason=reason.strip(), recorded_by_id=actor.id
    )
    db.session.add(absence)
    db.session.flush()
    record(actor, "internship.absence", absence, after={"day": day, "reason": absence.reason})
    return absence


def add_log_entry(
    trainee: User,
    placement: Placement,
    *,
    day: date,
    what_happened: str,
    reflection: str,
    task: PlanTask | None = None,
) -> LogEntry:
    if placement.enrolment.user_id != trainee.id:
        raise InternshipError(_("You can only write in your own log."))
    if day > clock.today():
        raise InternshipError(_("The date cannot be in the future."))
    if day < placement.start_date:
        raise InternshipError(_("The internship had not started on that day."))
    if not what_happened.strip():
        raise InternshipError(_("Describe what happened."))
    if task is not None and task.plan_id != placement.plan_id:
        raise InternshipError(_("That task is not in your plan."))
    # A double-submitted form must not log the same practice twice.
    duplicate = db.session.scalar(
        select(LogEntry).where(
            LogEntry.enrolment_id == placement.enrolment_id,
            LogEntry.day == day,
            LogEntry.what_happened == what_happened.strip(),
        )
    )
    if duplicate is not None:
        return duplicate
    entry = LogEntry(
        enrolment_id=placement.enrolment_id,
        task=task,
        day=day,
        what_happened=what_happened.strip(),
        reflection=reflection.strip(),
    )
    db.session.add(entry)
    db.session.flush()
    # Higher features listen (notifications: the mentor hears of it after the commit).
    announce(LOG_ADDED, entry_id=entry.id, actor_id=trainee.id)
    return entry


def comment_on_log(author: User, entry: LogEntry, body: str) -> LogComment:
    if not body.strip():
        raise InternshipError(_("The comment is empty."))
    for existing in entry.comments:
        if existing.author_id == author.id and existing.body == body.strip():
            return existing  # the same comment sent twice
    comment = LogComment(author_id=author.id, body=body.strip())
    entry.comments.append(comment)
    db.session.flush()
    return comment


# ---- sign-offs -------------------------------------------------------------------------


def sign_off_task(
    mentor: User,
    placement: Placement,
    task: PlanTask,
    *,
    observed_on: date,
    observed_items: set[int],
    rating: int,
    grade: Grade,
    comment: str,
    idempotency_token: str,
    duty_manager_present: bool = False,
) -> SignOff:
    """Record one observed performance of `task`, signed by the trainee's current mentor.

    Idempotent: the form's one-time token is unique in the database, so a double tap or a
    resent request returns the sign-off already made. Raises InternshipError when the date is
    in the future or before the placement began, the rating is out of range, or a passing
    grade is given with checklist items unobserved.
    """
    if not idempotency_token:
        raise InternshipError(_("The form has expired; open it again."))
    if (existing := sign_off_by_token(idempotency_token)) is not None:
        return existing
    if not placement.active or placement.mentor_id != mentor.id:
        raise InternshipError(_("Only the trainee's current mentor can sign off."))
    if task.plan_id != placement.plan_id or task.retired:
        raise InternshipError(_("That task is not in this trainee's plan."))
    if observed_on > clock.today():
        raise InternshipError(_("A sign-off cannot be dated in the future."))
    if observed_on < placement.start_date:
        raise InternshipError(_("A sign-off cannot be dated before the placement began."))
    if rating not in range(1, 6):
        raise InternshipError(_("The rating must be between 1 and 5."))
    items = [
        {"text": item["text"], "observed": index in observed_items}
        for index, item in enumerate(task.checklist)
    ]
    if grade.successful and not all(item["observed"] for item in items):
        raise InternshipError(
            _("A pass needs every checklist item observed; otherwise grade it as a fail.")
        )
    if task.needs_duty_manager and grade.successful:
        if placement.duty_manager_id is None:
            raise InternshipError(
                _(
                    "This task is observed with the duty manager; the "
                    "placement has none. Ask the trainer to add one."
                )
            )
        if not duty_manager_present:
            raise InternshipError(_("Confirm that the duty manager was present."))
    sign_off = SignOff(
        enrolment_id=placement.enrolment_id,
        task_id=task.id,
        placement_id=placement.id,
        mentor_id=mentor.id,
        duty_manager_id=placement.duty_manager_id if duty_manager_present else None,
        observed_on=observed_on,
        items=items,
        rating=rating,
        grade=grade,
        comment=comment.strip(),
        idempotency_token=idempotency_token,
    )
    db.session.add(sign_off)
    # Two requests with the same token at once: the unique key makes the second flush (or
    # commit) raise IntegrityError; the caller rolls back and finds the first by its token.
    db.session.flush()
    record(
        mentor,
        "internship.sign_off",
        sign_off,
        after={
            "trainee": placement.enrolment.user.employee_no,
            "task": task.key,
            "observed_on": observed_on,
            "rating": rating,
            "grade": grade,
            "observed": sum(item["observed"] for item in items),
            "items": len(items),
        },
    )
    announce(SIGNED_OFF, sign_off_id=sign_off.id, actor_id=mentor.id)
    trainee_path.catch_up(placement.enrolment, mentor)
    return sign_off


def sign_off_by_token(token: str) -> SignOff | None:
    return db.session.scalar(select(SignOff).where(SignOff.idempotency_token == token))


def withdraw_sign_off(actor: User, sign_off: SignOff, reason: str) -> SignOff:
    """Withdraw with a reason (audited); withdrawing again changes nothing.

    The trainee's stage is not moved back: the path only goes forward, and a trainer
    who finds a completed internship wanting handles it with the trainee in person.
    """
    if not reason.strip():
        raise InternshipError(_("Give a reason for withdrawing the sign-off."))
    if sign_off.withdrawn:
        return sign_off
    sign_off.withdrawn_at = clock.now()
    sign_off.withdrawn_by_id = actor.id
    sign_off.withdrawal_reason = reason.strip()
    db.session.flush()
    record(
        actor,
        "internship.sign_off_withdraw",
        sign_off,
        before={"withdrawn": False},
        after={"withdrawn": True},
        reason=reason.strip(),
    )
    return sign_off


def countersign(trainer: User, sign_off: SignOff) -> SignOff:
    """A trainer confirms a mentor's sign-off; countersigning twice keeps the first."""
    if not trainer.has_role(Role.TRAINER):
        raise InternshipError(_("Only a trainer can countersign."))
    if sign_off.withdrawn:
        raise InternshipError(_("A withdrawn sign-off cannot be countersigned."))
    if sign_off.countersigned_at is not None:
        return sign_off
    sign_off.countersigned_at = clock.now()
    sign_off.countersigned_by_id = trainer.id
    db.session.flush()
    record(trainer, "internship.countersign", sign_off, after={"countersigned": True})
    return sign_off


def sync_stage(enrolment: Enrolment, actor=None) -> list:
    """Let time-based requirements (30 days interned) advance the trainee when they pass.

    Days pass without anyone clicking: the daily `internship.catch_up` job calls this (never
    a page view); catch_up is idempotent and only moves as far as requirements allow.
    """
    if enrolment.stage is not Stage.INTERNING:
        return []
    return trainee_path.catch_up(enrolment, actor)


def catch_up_internships() -> str:
    """Job (daily, after midnight in the business time zone): complete the internships whose
    days and sign-offs are now complete. Safe to run twice at once (the stage move is
    conditional)."""
    placements = db.session.scalars(select(Placement).where(Placement.active)).unique()
    moved = sum(bool(sync_stage(placement.enrolment, None)) for placement in placements)
    return f"{moved} trainees completed the internship"

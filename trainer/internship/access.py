"""Who may see and act on which trainee. Mentors reach their own mentees only; anything
else is a 404, so the response does not even confirm the trainee exists."""

from flask import abort
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.extensions import db
from trainer.internship.models import LogEntry, Placement, SignOff
from trainer.permissions import Role


def placement_for(user: User, enrolment_id: int) -> Placement:
    """The active placement of `enrolment_id` if `user` is its mentor or a trainer.

    Raises NotFound (404) otherwise, including when the trainee has no active placement.
    """
    placement = db.session.scalar(
        select(Placement).where(Placement.enrolment_id == enrolment_id, Placement.active)
    )
    if placement is None or not may_act_on(user, placement):
        abort(404)
    return placement


def may_act_on(user: User, placement: Placement) -> bool:
    return user.has_role(Role.TRAINER) or (
        user.has_role(Role.MENTOR) and placement.mentor_id == user.id
    )


def sign_off_for(user: User, sign_off_id: int) -> SignOff:
    """A sign-off of one of `user`'s current mentees (any, for a trainer); else 404."""
    sign_off = db.session.get(SignOff, sign_off_id)
    if sign_off is None:
        abort(404)
    placement_for(user, sign_off.enrolment_id)
    return sign_off


def log_entry_for(user: User, entry_id: int) -> LogEntry:
    entry = db.session.get(LogEntry, entry_id)
    if entry is None:
        abort(404)
    placement_for(user, entry.enrolment_id)
    return entry

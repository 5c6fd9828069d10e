"""Who oversees whom: trainees see their own records, mentors their current mentees (through
active placements), trainers (and administrators) everyone. Reports, coaching and recognition
all decide with these rules; anything else is a 404, so a response never even confirms that
another trainee exists."""

from flask import abort
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.extensions import db
from trainer.internship.models import Placement
from trainer.permissions import Role
from trainer.training.models import Enrolment


def sees_everyone(user: User) -> bool:
    return user.has_any_role(Role.TRAINER, Role.ADMIN)


def mentee_ids(mentor: User) -> set[int]:
    """User ids of the trainees `mentor` currently mentors (active placements)."""
    return set(
        db.session.scalars(
            select(Enrolment.user_id)
            .join(Placement, Placement.enrolment_id == Enrolment.id)
            .where(Placement.mentor_id == mentor.id, Placement.active)
        )
    )


def may_view_trainee(user: User, trainee_id: int) -> bool:
    if sees_everyone(user) or user.id == trainee_id:
        return True
    return user.has_role(Role.MENTOR) and trainee_id in mentee_ids(user)


def may_coach(user: User, trainee_id: int) -> bool:
    """Trainers coach anyone; a mentor coaches their own mentees; nobody coaches themself."""
    if user.id == trainee_id:
        return False
    if user.has_role(Role.TRAINER):
        return True
    return user.has_role(Role.MENTOR) and trainee_id in mentee_ids(user)


def visible_trainee(user: User, trainee_id: int) -> User:
    """The trainee `trainee_id` if `user` may read their reports.

    Raises NotFound (404) when the user does not exist, is not a trainee, or is out of reach.
    """
    trainee = db.session.get(User, trainee_id)
    if trainee is None or not trainee.has_role(Role.TRAINEE):
        abort(404)
    if not may_view_trainee(user, trainee.id):
        abort(404)
    return trainee

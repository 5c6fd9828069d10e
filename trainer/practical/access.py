"""Who may observe whom: the trainee's own mentor, the duty manager of the trainee's
placement, or a trainer. Anyone else gets a 404, so a response never even confirms that
another mentor's mentee exists."""

from flask import abort
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.extensions import db
from trainer.internship.models import Placement
from trainer.permissions import Role
from trainer.practical.models import ObserverRole, PracticalAssessment
from trainer.training.models import Enrolment


def observer_role(user: User, enrolment: Enrolment) -> ObserverRole | None:
    """In which capacity `user` may assess `enrolment`, or None when they may not."""
    placement = db.session.scalar(
        select(Placement).where(Placement.enrolment_id == enrolment.id, Placement.active)
    )
    if placement is not None and user.id != enrolment.user_id:
        if placement.mentor_id == user.id and user.has_role(Role.MENTOR):
            return ObserverRole.MENTOR
        if placement.duty_manager_id == user.id:
            return ObserverRole.DUTY_MANAGER
    if user.has_role(Role.TRAINER) and user.id != enrolment.user_id:
        return ObserverRole.TRAINER
    return None


def enrolment_to_assess(user: User, enrolment_id: int) -> Enrolment:
    """The enrolment if `user` may assess it; NotFound (404) otherwise."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or observer_role(user, enrolment) is None:
        abort(404)
    return enrolment


def assessment_for(user: User, assessment_id: int) -> PracticalAssessment:
    """An assessment `user` may read: the trainee's own, one of a trainee they may assess,
    or any for administrators. NotFound (404) otherwise."""
    assessment = db.session.get(PracticalAssessment, assessment_id)
    if assessment is None:
        abort(404)
    enrolment = assessment.enrolment
    if not (
        enrolment.user_id == user.id
        or user.has_role(Role.ADMIN)
        or observer_role(user, enrolment) is not None
    ):
        abort(404)
    return assessment

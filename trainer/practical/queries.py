"""Read-side helpers of the practical assessment (no writes: pages and panels use them)."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from trainer.accounts.models import User
from trainer.extensions import db
from trainer.internship.models import Placement
from trainer.practical.models import PracticalAssessment, PracticalChecklist
from trainer.training.models import Enrolment
from trainer.training.stages import Stage


def checklist_for(enrolment: Enrolment) -> PracticalChecklist | None:
    """The checklist in force for the trainee's programme: one made for the programme, else
    one for every programme (no `programme:` in its file); None when there is none."""
    code = enrolment.programme.code
    candidates = db.session.scalars(
        select(PracticalChecklist)
        .where(
            PracticalChecklist.retired.is_(False),
            or_(
                PracticalChecklist.programme_code == code,
                PracticalChecklist.programme_code.is_(None),
            ),
        )
        .order_by(PracticalChecklist.id)
    ).all()
    return next((c for c in candidates if c.programme_code == code), None) or next(
        iter(candidates), None
    )


def assessments_of(enrolment_id: int) -> list[PracticalAssessment]:
    """Every assessment of one enrolment, newest first (withdrawn ones included)."""
    return list(
        db.session.scalars(
            select(PracticalAssessment)
            .where(PracticalAssessment.enrolment_id == enrolment_id)
            .order_by(PracticalAssessment.signed_at.desc(), PracticalAssessment.id.desc())
        )
    )


def passed_assessment(enrolment: Enrolment) -> PracticalAssessment | None:
    """The standing passed assessment of the trainee, if any."""
    return db.session.scalar(
        select(PracticalAssessment)
        .where(
            PracticalAssessment.enrolment_id == enrolment.id,
            PracticalAssessment.passed.is_(True),
            PracticalAssessment.withdrawn_at.is_(None),
        )
        .order_by(PracticalAssessment.id)
        .limit(1)
    )


@dataclass(frozen=True)
class Candidate:
    """A trainee at the final stage and where their practical assessment stands."""

    enrolment: Enrolment
    placement: Placement | None
    latest: PracticalAssessment | None

    @property
    def passed(self) -> bool:
        return self.latest is not None and self.latest.counts


def candidates(observer: User | None = None, include_done: bool = False) -> list[Candidate]:
    """Trainees whose internship is complete, with their latest standing assessment; for an
    observer only those whose placement names them as mentor or duty manager. By default
    only those still to pass."""
    query = (
        select(Enrolment, Placement)
        .outerjoin(Placement, (Placement.enrolment_id == Enrolment.id) & Placement.active)
        .where(Enrolment.stage == Stage.INTERNSHIP_COMPLETE)
    )
    if observer is not None:
        query = query.where(
            or_(Placement.mentor_id == observer.id, Placement.duty_manager_id == observer.id)
        )
    rows = db.session.execute(query).unique().all()
    latest = latest_by_enrolment([e.id for e, _p in rows])
    found = [Candidate(e, p, latest.get(e.id)) for e, p in rows]
    found.sort(key=lambda c: (c.passed, c.enrolment.user.name))
    return found if include_done else [c for c in found if not c.passed]


def latest_by_enrolment(enrolment_ids: list[int]) -> dict[int, PracticalAssessment]:
    """{enrolment id: its latest assessment that was not withdrawn}, in one query."""
    if not enrolment_ids:
        return {}
    latest: dict[int, PracticalAssessment] = {}
    for assessment in db.session.scalars(
        select(PracticalAssessment)
        .where(
            PracticalAssessment.enrolment_id.in_(enrolment_ids),
            PracticalAssessment.withdrawn_at.is_(None),
        )
        .order_by(PracticalAssessment.id)
    ):
        latest[assessment.enrolment_id] = assessment
    return latest


def recent_assessments(limit: int = 50) -> list[PracticalAssessment]:
    """The latest assessments across all trainees (the trainers' overview)."""
    return list(
        db.session.scalars(
            select(PracticalAssessment)
            .options(selectinload(PracticalAssessment.withdrawn_by))
            .order_by(PracticalAssessment.signed_at.desc(), PracticalAssessment.id.desc())
            .limit(limit)
        )
    )


def candidates_to_assess(observer: User | None = None, limit: int = 5) -> list[Candidate]:
    """The first `limit` candidates() still to pass, in name order, chosen by the database:
    a dashboard panel shows a few without loading every trainee at the final stage."""
    latest_passed = (
        select(PracticalAssessment.passed)
        .where(
            PracticalAssessment.enrolment_id == Enrolment.id,
            PracticalAssessment.withdrawn_at.is_(None),
        )
        .order_by(PracticalAssessment.signed_at.desc(), PracticalAssessment.id.desc())
        .limit(1)
        .correlate(Enrolment)
        .scalar_subquery()
    )
    query = (
        select(Enrolment, Placement)
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(Placement, (Placement.enrolment_id == Enrolment.id) & Placement.active)
        .where(
            Enrolment.stage == Stage.INTERNSHIP_COMPLETE,
            func.coalesce(latest_passed, False).is_(False),
        )
        .order_by(User.name, Enrolment.id)
        .limit(limit)
    )
    if observer is not None:
        query = query.where(
            or_(Placement.mentor_id == observer.id, Placement.duty_manager_id == observer.id)
        )
    rows = db.session.execute(query).unique().all()
    latest = latest_by_enrolment([e.id for e, _p in rows])
    return [Candidate(e, p, latest.get(e.id)) for e, p in rows]

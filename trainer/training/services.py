"""Programmes, cohorts and enrolments."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import lazyload

from trainer.accounts.models import User, UserRole
from trainer.accounts.search import MAX_QUERY, escape_like, user_matches
from trainer.audit.services import record
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.permissions import Role
from trainer.training.models import Cohort, Enrolment, Programme
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


class TrainingError(DomainError, ValueError):
    """A rule about programmes or cohorts was broken; the message is shown to the user."""


def get_or_create_programme(code: str, name: str, **settings) -> Programme:
    programme = db.session.scalar(select(Programme).where(Programme.code == code))
    if programme is None:
        programme = Programme(code=code, name=name, **settings)
        db.session.add(programme)
        db.session.flush()
    return programme


def default_programme() -> Programme:
    """The first programme; a fresh install creates the standard window-staff programme."""
    programme = db.session.scalar(select(Programme).order_by(Programme.id).limit(1))
    return programme or get_or_create_programme("window-staff", "营业厅窗口服务人员上岗培训")


def create_cohort(
    actor: User, *, name: str, programme: Programme, trainer: User, start_date: date
) -> Cohort:
    if not trainer.has_role(Role.TRAINER):
        raise TrainingError(_l("%(name)s is not a trainer"), name=trainer.name)
    cohort = Cohort(name=name.strip(), programme=programme, trainer=trainer, start_date=start_date)
    db.session.add(cohort)
    db.session.flush()
    record(actor, "cohort.create", cohort, after={"name": cohort.name, "start": start_date})
    return cohort


def enrol(actor: User | None, trainee: User, cohort: Cohort) -> Enrolment:
    """Enrol `trainee` in the cohort's programme; enrolling twice returns the same enrolment."""
    if not trainee.has_role(Role.TRAINEE):
        raise TrainingError(_l("%(name)s is not a trainee"), name=trainee.name)
    enrolment = db.session.scalar(
        select(Enrolment).where(
            Enrolment.user_id == trainee.id, Enrolment.programme_id == cohort.programme_id
        )
    )
    if enrolment is not None:
        if enrolment.cohort_id != cohort.id:
            raise TrainingError(
                _l("%(name)s is already enrolled in another cohort"), name=trainee.name
            )
        return enrolment
    enrolment = Enrolment(user=trainee, programme=cohort.programme, cohort=cohort)
    db.session.add(enrolment)
    db.session.flush()
    record(actor, "enrolment.create", enrolment, after={"user": trainee.employee_no})
    trainee_path.catch_up(enrolment, actor)
    return enrolment


def enrolable_trainees(
    cohort: Cohort, q: str = "", *, ids: list[int] | None = None, limit: int | None = None
) -> list[User]:
    """Active trainees not yet in the cohort's programme: not in another of its cohorts and not
    certified by it (a trainee follows a programme once). The picker asks for the first
    `limit` whose employee number or name starts with `q`; a submitted form for `ids`."""
    in_programme = select(Enrolment.user_id).where(Enrolment.programme_id == cohort.programme_id)
    query = (
        select(User)
        .join(UserRole)
        .where(
            UserRole.role == Role.TRAINEE,
            User.active.is_(True),
            User.id.not_in(in_programme),
        )
        .order_by(User.employee_no)
    )
    if q:
        query = query.where(user_matches(q))
    if ids is not None:
        query = query.where(User.id.in_(ids))
    return list(db.session.scalars(query.limit(limit)).unique())


def current_enrolment(user: User) -> Enrolment | None:
    """The trainee's most recent enrolment (one programme at a time in practice)."""
    # `user` is in the session already: the enrolment's user comes from the identity map
    # (a joined load would read the row and its roles again on every exam start, issue 21).
    return db.session.scalar(
        select(Enrolment)
        .options(lazyload(Enrolment.user))
        .where(Enrolment.user_id == user.id)
        .order_by(Enrolment.id.desc())
        .limit(1)
    )


def cohorts_query(user: User, q: str = "") -> Select:
    """Trainers see the cohorts they run first, then everyone else's, newest first; `q` keeps
    the cohorts whose name starts with it (for the paged cohorts list)."""
    query = select(Cohort).order_by(
        (Cohort.trainer_id != user.id), Cohort.start_date.desc(), Cohort.id.desc()
    )
    if q.strip():
        query = query.where(Cohort.name.like(escape_like(q.strip()[:MAX_QUERY]) + "%", escape="\\"))
    return query


def cohorts_for(user: User, limit: int | None = None) -> list[Cohort]:
    """The first `limit` cohorts of `cohorts_query` (every cohort when None)."""
    return list(db.session.scalars(cohorts_query(user).limit(limit)).unique())


def cohort_enrolments_query(cohort: Cohort, q: str = "") -> Select:
    """The cohort's enrolments in enrolment order, their trainee and hall joined (one query
    per page); `q` keeps trainees whose employee number or name starts with it."""
    query = select(Enrolment).where(Enrolment.cohort_id == cohort.id).order_by(Enrolment.id)
    if q.strip():
        query = query.join(User, Enrolment.user_id == User.id).where(user_matches(q))
    return query


def catch_up_paths() -> str:
    """Job: move on every trainee whose requirements are now met (a cohort starting today,
    days that completed an internship). Idempotent; a session that loses a race moves nobody."""
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.stage != Stage.CERTIFIED).order_by(Enrolment.id)
    ).unique()
    moved = sum(bool(trainee_path.catch_up(enrolment, None)) for enrolment in enrolments)
    return f"{moved} trainees moved on"

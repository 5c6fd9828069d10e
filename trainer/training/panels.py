"""Dashboard panels of the training feature."""

from sqlalchemy import func, select

from trainer.accounts.models import Hall, User, UserRole
from trainer.extensions import db
from trainer.training.models import Cohort, Enrolment
from trainer.training.path import trainee_path
from trainer.training.services import current_enrolment
from trainer.training.stages import PATH


def trainee_path_panel(user: User) -> dict | None:
    enrolment = current_enrolment(user)
    return {
        "enrolment": enrolment,
        "path": PATH,
        "unmet": trainee_path.unmet(enrolment) if enrolment else [],
    }


def cohort_stage_counts(cohort_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {cid: {} for cid in cohort_ids}
    rows = db.session.execute(
        select(Enrolment.cohort_id, Enrolment.stage, func.count())
        .where(Enrolment.cohort_id.in_(cohort_ids))
        .group_by(Enrolment.cohort_id, Enrolment.stage)
    )
    for cohort_id, stage, count in rows:
        counts[cohort_id][stage.value] = count
    return counts


PANEL_COHORTS = 8  # the newest; every cohort is on the cohorts page


def trainer_cohorts_panel(user: User) -> dict:
    mine = select(Cohort).where(Cohort.trainer_id == user.id)
    cohorts = db.session.scalars(
        mine.order_by(Cohort.start_date.desc(), Cohort.id.desc()).limit(PANEL_COHORTS)
    ).all()
    return {
        "cohorts": cohorts,
        "total": db.session.scalar(mine.with_only_columns(func.count(Cohort.id))),
        "counts": cohort_stage_counts([c.id for c in cohorts]),
        "path": PATH,
    }


def admin_accounts_panel(user: User) -> dict:
    role_counts = dict(
        db.session.execute(select(UserRole.role, func.count()).group_by(UserRole.role)).all()
    )
    return {
        "users": db.session.scalar(select(func.count()).select_from(User)),
        "halls": db.session.scalar(select(func.count()).select_from(Hall)),
        "role_counts": role_counts,
    }

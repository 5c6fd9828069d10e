"""Dashboard panel of the reports feature: the trainer's cohorts, one click from a dashboard."""

from sqlalchemy import select

from trainer.accounts.models import User
from trainer.extensions import db
from trainer.training.models import Cohort


def trainer_reports_panel(user: User) -> dict | None:
    cohorts = (
        db.session.scalars(
            select(Cohort)
            .where(Cohort.trainer_id == user.id)
            .order_by(Cohort.start_date.desc())
            .limit(5)
        )
        .unique()
        .all()
    )
    return {"cohorts": cohorts}

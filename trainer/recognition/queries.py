"""Loading a month's results for the standings (read-only, a few grouped queries)."""

from datetime import date, datetime

from sqlalchemy import select

from trainer import clock
from trainer.accounts.models import Hall, User
from trainer.extensions import db
from trainer.internship.models import Placement, SignOff
from trainer.recognition.standings import (
    Activity,
    HallStanding,
    Standing,
    hall_standings,
    month_bounds,
    trainee_standings,
)
from trainer.reports.drill_facts import drill_rows
from trainer.reports.quiz_facts import exam_rows
from trainer.training.models import Enrolment


def _moment(day: date) -> datetime:
    """Midnight of a business day (a month of standings runs in the business time zone)."""
    return clock.start_of_day(day)


def month_activities(month: date) -> list[Activity]:
    first, following = month_bounds(month)
    since, until = _moment(first), _moment(following)
    trainee_ids = list(db.session.scalars(select(Enrolment.user_id).distinct()))
    activities: dict[int, Activity] = {}

    def of(user_id: int) -> Activity:
        return activities.setdefault(user_id, Activity(user_id))

    for user_id, _purpose, percent, _passed, _at in exam_rows(trainee_ids, since, until):
        if percent is not None:
            of(user_id).exam_scores.append(percent)
    for user_id, percent, clean in drill_rows(trainee_ids, since, until):
        activity = of(user_id)
        activity.drill_scores.append(percent)
        activity.clean_drills += clean
    for user_id, rating in db.session.execute(
        select(Enrolment.user_id, SignOff.rating)
        .join(Enrolment, SignOff.enrolment_id == Enrolment.id)
        .where(
            SignOff.withdrawn_at.is_(None),
            SignOff.observed_on >= first,
            SignOff.observed_on < following,
        )
    ):
        of(user_id).ratings.append(rating)
    return list(activities.values())


def hall_of_trainees(user_ids: list[int]) -> dict[int, int | None]:
    """The hall each trainee works in: their internship placement's, else their own."""
    halls = dict(
        db.session.execute(select(User.id, User.hall_id).where(User.id.in_(user_ids))).all()
    )
    for user_id, hall_id in db.session.execute(
        select(Enrolment.user_id, Placement.hall_id)
        .join(Placement, Placement.enrolment_id == Enrolment.id)
        .where(Enrolment.user_id.in_(user_ids), Placement.active)
    ):
        halls[user_id] = hall_id
    return halls


def monthly_standings(month: date) -> tuple[list[Standing], list[HallStanding], dict, dict]:
    """(trainee standings, hall standings, users by id, halls by id) for `month`."""
    standings = trainee_standings(month_activities(month))
    user_ids = [s.user_id for s in standings]
    halls_by_user = hall_of_trainees(user_ids)
    by_hall = hall_standings(standings, halls_by_user)
    users = {
        u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids))).unique()
    }
    halls = {
        h.id: h
        for h in db.session.scalars(select(Hall).where(Hall.id.in_({h.hall_id for h in by_hall})))
    }
    return standings, by_hall, users, halls

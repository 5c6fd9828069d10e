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

SHOWN = 100  # trainees listed on the standings page; the rest are counted


def _moment(day: date) -> datetime:
    """Midnight of a business day (a month of standings runs in the business time zone)."""
    return clock.start_of_day(day)


def month_activities(month: date) -> list[Activity]:
    first, following = month_bounds(month)
    since, until = _moment(first), _moment(following)
    trainee_ids = select(Enrolment.user_id)  # a subquery: never a list of every trainee
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


def hall_of_trainees() -> dict[int, int | None]:
    """The hall each trainee works in: their internship placement's, else their own (two
    joined queries over enrolled trainees, two small columns each)."""
    halls = dict(
        db.session.execute(
            select(User.id, User.hall_id).where(User.id.in_(select(Enrolment.user_id)))
        ).all()
    )
    for user_id, hall_id in db.session.execute(
        select(Enrolment.user_id, Placement.hall_id)
        .join(Placement, Placement.enrolment_id == Enrolment.id)
        .where(Placement.active)
    ):
        halls[user_id] = hall_id
    return halls


def people(user_ids) -> dict[int, User]:
    """Users by id, for the (bounded) rows a page shows."""
    ids = list(user_ids)
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids))).unique()}


def monthly_standings(
    month: date, shown: int = SHOWN
) -> tuple[list[Standing], list[HallStanding], dict, dict]:
    """(trainee standings, hall standings, users by id, halls by id) for `month`; users are
    loaded for the first `shown` standings only (the page shows those)."""
    standings = trainee_standings(month_activities(month))
    by_hall = hall_standings(standings, hall_of_trainees())
    users = people(s.user_id for s in standings[:shown])
    halls = {
        h.id: h
        for h in db.session.scalars(select(Hall).where(Hall.id.in_({h.hall_id for h in by_hall})))
    }
    return standings, by_hall, users, halls

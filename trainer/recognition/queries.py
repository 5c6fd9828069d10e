"""Loading a window's results for the standings: sums and counts per trainee grouped in SQL
(three GROUP BY statements, whatever the number of trainees), kept in the shared cache until
a new result arrives in the window."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, exists, func, select, text, true

from trainer import clock
from trainer.accounts.models import Hall, User
from trainer.extensions import db
from trainer.internship.models import Placement, SignOff
from trainer.quizzes.models import Attempt, AttemptState, Quiz
from trainer.recognition.standings import (
    HallStanding,
    Standing,
    Totals,
    hall_standings,
    month_bounds,
    trainee_standings,
)
from trainer.reports.quiz_facts import EXAM_PURPOSES
from trainer.roleplay.models import FORBIDDEN_REPLY, DrillSession, DrillStep
from trainer.shared_cache import stamped
from trainer.training.models import Enrolment

SHOWN = 100  # trainees listed on the standings page; the rest are counted
WINDOW_MONTHS = (1, 3, 6, 12)  # the periods the page offers, each ending with the chosen month


@dataclass(frozen=True)
class StandingsWindow:
    """Which results the standings count: the `months` months ending with `month` (business
    dates), of one cohort's trainees or of every enrolled trainee."""

    month: date
    months: int = 1
    cohort_id: int | None = None

    def bounds(self) -> tuple[date, date]:
        """First day of the period and first day after it."""
        first, following = month_bounds(self.month)
        for _ in range(self.months - 1):
            first = month_bounds(date.fromordinal(first.toordinal() - 1))[0]
        return first, following

    def moments(self) -> tuple[datetime, datetime]:
        first, following = self.bounds()
        return clock.start_of_day(first), clock.start_of_day(following)

    def trainee_ids(self):
        """The trainees ranked, as a subquery (never a list of every trainee)."""
        query = select(Enrolment.user_id)
        if self.cohort_id is not None:
            query = query.where(Enrolment.cohort_id == self.cohort_id)
        return query

    def key(self) -> tuple:
        return (self.bounds(), self.cohort_id)


def _exam_conditions(window: StandingsWindow, everyone: bool = False) -> tuple:
    """Graded exam attempts in the window; of its trainees unless `everyone` (the stamp's
    superset: cheaper, and any change among the trainees' attempts still shows)."""
    since, until = window.moments()
    return (
        *(() if everyone else (Attempt.user_id.in_(window.trainee_ids()),)),
        Attempt.state == AttemptState.GRADED,
        Attempt.quiz_id.in_(select(Quiz.id).where(Quiz.purpose.in_(EXAM_PURPOSES))),
        Attempt.submitted_at >= since,
        Attempt.submitted_at < until,
    )


def _drill_conditions(window: StandingsWindow, everyone: bool = False) -> tuple:
    since, until = window.moments()
    return (
        *(() if everyone else (DrillSession.user_id.in_(window.trainee_ids()),)),
        DrillSession.preview.is_(False),
        DrillSession.state == "finished",
        DrillSession.finished_at >= since,
        DrillSession.finished_at < until,
    )


def _sign_off_conditions(window: StandingsWindow) -> tuple:
    first, following = window.bounds()
    conditions = [
        SignOff.withdrawn_at.is_(None),
        SignOff.observed_on >= first,
        SignOff.observed_on < following,
    ]
    if window.cohort_id is not None:
        cohort = select(Enrolment.id).where(Enrolment.cohort_id == window.cohort_id)
        conditions.append(SignOff.enrolment_id.in_(cohort))
    return tuple(conditions)


def forbidden_reply(dialect: str):
    """A reply that used a forbidden phrase, spelled exactly as the partial index
    ix_drill_step_forbidden_reply so the database reads the few such replies from the index
    instead of every reply's findings (large JSON documents)."""
    return text(FORBIDDEN_REPLY[dialect])


def window_totals(window: StandingsWindow) -> list[Totals]:
    """Per trainee: exam, drill and rating sums and counts in the window (GROUP BY user)."""
    totals: dict[int, dict] = {}
    exams = db.session.execute(
        select(Attempt.user_id, func.sum(Attempt.percent), func.count(Attempt.percent))
        .where(*_exam_conditions(window))
        .group_by(Attempt.user_id)
    )
    for user_id, total, count in exams:
        if count:
            totals.setdefault(user_id, {}).update(exam_sum=float(total), exams=count)
    forbidden = exists().where(
        DrillStep.session_id == DrillSession.id, forbidden_reply(db.engine.dialect.name)
    )
    drills = db.session.execute(
        select(
            DrillSession.user_id,
            func.sum(DrillSession.percent),
            func.count(),
            func.sum(case((forbidden, 0), else_=1)),
        )
        .where(*_drill_conditions(window))
        .group_by(DrillSession.user_id)
    )
    for user_id, total, count, clean in drills:
        totals.setdefault(user_id, {}).update(
            drill_sum=float(total), drills=count, clean_drills=int(clean)
        )
    ratings = db.session.execute(
        select(Enrolment.user_id, func.sum(SignOff.rating), func.count(SignOff.rating))
        .join(Enrolment, SignOff.enrolment_id == Enrolment.id)
        .where(*_sign_off_conditions(window))
        .group_by(Enrolment.user_id)
    )
    for user_id, total, count in ratings:
        totals.setdefault(user_id, {}).update(rating_sum=float(total), ratings=count)
    return [Totals(user_id, **parts) for user_id, parts in totals.items()]


def hall_of_trainees(window: StandingsWindow) -> dict[int, int | None]:
    """The hall each ranked trainee works in: their active placement's, else their own (one
    query, two small columns)."""
    placed = select(Placement.enrolment_id, Placement.hall_id).where(Placement.active).subquery()
    rows = db.session.execute(
        select(User.id, func.coalesce(placed.c.hall_id, User.hall_id))
        .join(Enrolment, Enrolment.user_id == User.id)
        .outerjoin(placed, placed.c.enrolment_id == Enrolment.id)
        .where(User.id.in_(window.trainee_ids()))
    )
    return dict(rows.all())


def results_stamp(window: StandingsWindow) -> tuple:
    """One statement whose answer changes whenever the window's standings may: count and
    newest id of the graded exam attempts in the period (and latest grading), of its drills,
    of its sign-offs and withdrawals, and the latest placement change (halls). Everyone's,
    not only the window's trainees': a superset changes whenever the subset does."""
    first, following = window.bounds()
    exams = select(
        func.count().label("n"), func.max(Attempt.id).label("last"), func.max(Attempt.graded_at)
    ).where(*_exam_conditions(window, everyone=True))
    drills = select(func.count().label("n"), func.max(DrillSession.id).label("last")).where(
        *_drill_conditions(window, everyone=True)
    )
    sign_offs = select(
        func.count().label("n"),
        func.max(SignOff.id).label("last"),
        func.max(SignOff.withdrawn_at).label("withdrawn"),
    ).where(SignOff.observed_on >= first, SignOff.observed_on < following)
    placements = select(func.max(Placement.updated_at).label("changed"))
    parts = [part.subquery() for part in (exams, drills, sign_offs, placements)]
    columns = [column for part in parts for column in part.c]
    one_row_each = parts[0]
    for part in parts[1:]:  # each part is one aggregate row: joining them on true is one row
        one_row_each = one_row_each.join(part, true())
    return tuple(db.session.execute(select(*columns).select_from(one_row_each)).one())


def ranked(window: StandingsWindow) -> tuple[list[Standing], list[HallStanding]]:
    """(trainee standings, hall standings) of the window, from the shared cache while no new
    result arrived in it."""

    def compute() -> tuple[list[Standing], list[HallStanding]]:
        standings = trainee_standings(window_totals(window))
        return standings, hall_standings(standings, hall_of_trainees(window))

    return stamped("standings", window.key(), results_stamp(window), compute)


def people(user_ids) -> dict[int, User]:
    """Users by id, for the (bounded) rows a page shows."""
    ids = list(user_ids)
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids))).unique()}


def standings_in(
    window: StandingsWindow, shown: int = SHOWN
) -> tuple[list[Standing], list[HallStanding], dict, dict]:
    """(trainee standings, hall standings, users by id, halls by id) for the window; users are
    loaded for the first `shown` standings only (the page shows those)."""
    standings, by_hall = ranked(window)
    users = people(s.user_id for s in standings[:shown])
    halls = {
        h.id: h
        for h in db.session.scalars(select(Hall).where(Hall.id.in_({h.hall_id for h in by_hall})))
    }
    return standings, by_hall, users, halls


def monthly_standings(
    month: date, shown: int = SHOWN
) -> tuple[list[Standing], list[HallStanding], dict, dict]:
    """standings_in for one month of every enrolled trainee."""
    return standings_in(StandingsWindow(month), shown)

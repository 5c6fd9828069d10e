"""Read-only queries behind the report pages: cohort dashboard, trainee results, weak areas.

Each page loads what it needs in a handful of queries whatever the cohort's size.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from trainer import clock
from trainer.accounts.models import User
from trainer.accounts.search import user_matches
from trainer.coaching.models import CoachingRecord
from trainer.extensions import db
from trainer.internship.models import Placement, PlanTask, SignOff
from trainer.internship.oversight import mentee_ids, sees_everyone
from trainer.internship.progress import Progress
from trainer.internship.queries import progress_for_many
from trainer.quizzes.models import Attempt, AttemptState, Purpose, Quiz
from trainer.reports.drill_facts import drill_facts
from trainer.reports.labels import labels_for
from trainer.reports.quiz_facts import quiz_facts
from trainer.reports.weak_areas import ScoreFact, WeakAreas, weak_areas
from trainer.roleplay.models import DrillSession
from trainer.training.models import Cohort, Enrolment
from trainer.training.stages import PATH, Stage

TREND_WEEKS = 12


@dataclass
class TraineeRow:
    enrolment: Enrolment
    best: dict[str, float] = field(default_factory=dict)  # purpose → best percent
    passed: set[str] = field(default_factory=set)  # purposes passed
    attempts: int = 0
    drills: int = 0
    drill_mean: float | None = None
    placement: Placement | None = None
    progress: Progress | None = None

    @property
    def user(self) -> User:
        return self.enrolment.user


@dataclass
class ExamSummary:
    quiz: Quiz
    scores: list[float]  # percent of every graded attempt by the cohort
    trainees: int  # who sat it at least once
    passed: int  # who passed at least once
    first_passed: int  # who passed at the first attempt

    @property
    def pass_rate(self) -> float:
        return 100 * self.passed / self.trainees if self.trainees else 0.0

    @property
    def first_pass_rate(self) -> float:
        return 100 * self.first_passed / self.trainees if self.trainees else 0.0


@dataclass
class Overdue:
    kind: str  # internship_task | coaching_follow_up
    trainee: User
    what: str
    due: date
    url_args: dict


@dataclass
class CohortDashboard:
    cohort: Cohort
    rows: list[TraineeRow]
    funnel: list[tuple[object, int]]  # (stage, trainees who reached it)
    exams: list[ExamSummary]
    overdue: list[Overdue]
    trend: list[tuple[date, float | None, float | None]]  # week, quiz mean, drill mean


def funnel_counts(stages: list) -> list[tuple[object, int]]:
    """How many trainees reached each stage of the path (the path only moves forward)."""
    return [(stage, sum(1 for s in stages if s.reached(stage))) for stage in PATH]


def cohort_dashboard(cohort: Cohort) -> CohortDashboard:
    enrolments = list(
        db.session.scalars(
            select(Enrolment).where(Enrolment.cohort_id == cohort.id).order_by(Enrolment.id)
        ).unique()
    )
    rows = {e.user_id: TraineeRow(e) for e in enrolments}
    user_ids = list(rows)
    exams = _exam_summaries(cohort, rows)
    _drill_summaries(rows)
    _internship_progress(rows)
    return CohortDashboard(
        cohort=cohort,
        rows=sorted(rows.values(), key=lambda r: (r.user.name, r.user.employee_no)),
        funnel=funnel_counts([e.stage for e in enrolments]),
        exams=exams,
        overdue=_overdue(rows),
        trend=_weekly_trend(cohort.start_date, user_ids),
    )


def _exam_summaries(cohort: Cohort, rows: dict[int, TraineeRow]) -> list[ExamSummary]:
    attempts = db.session.execute(
        select(Attempt.user_id, Attempt.quiz_id, Attempt.number, Attempt.percent, Attempt.passed)
        .where(Attempt.user_id.in_(list(rows)), Attempt.state == AttemptState.GRADED)
        .order_by(Attempt.quiz_id, Attempt.user_id, Attempt.number)
    ).all()
    quizzes = {
        q.id: q
        for q in db.session.scalars(
            select(Quiz).where(Quiz.id.in_({a.quiz_id for a in attempts}))
        ).unique()
    }
    per_quiz: dict[int, list] = defaultdict(list)
    for a in attempts:
        quiz = quizzes[a.quiz_id]
        row = rows[a.user_id]
        row.attempts += 1
        if a.percent is not None:
            row.best[quiz.purpose.value] = max(row.best.get(quiz.purpose.value, 0.0), a.percent)
        if a.passed:
            row.passed.add(quiz.purpose.value)
        if quiz.purpose is not Purpose.PRACTICE:
            per_quiz[a.quiz_id].append(a)
    summaries = []
    for quiz_id, items in per_quiz.items():
        first: dict[int, object] = {}
        for a in items:  # ordered by user, then attempt number
            first.setdefault(a.user_id, a)
        summaries.append(
            ExamSummary(
                quiz=quizzes[quiz_id],
                scores=[a.percent for a in items if a.percent is not None],
                trainees=len({a.user_id for a in items}),
                passed=len({a.user_id for a in items if a.passed}),
                first_passed=sum(1 for a in first.values() if a.passed),
            )
        )
    order = {Purpose.PRE_JOB: 0, Purpose.FINAL: 1, Purpose.REFRESHER: 2}
    return sorted(summaries, key=lambda s: (order.get(s.quiz.purpose, 9), s.quiz.id))


def _drill_summaries(rows: dict[int, TraineeRow]) -> None:
    for user_id, count, mean in db.session.execute(
        select(DrillSession.user_id, func.count(), func.avg(DrillSession.percent))
        .where(
            DrillSession.user_id.in_(list(rows)),
            DrillSession.preview.is_(False),
            DrillSession.state == "finished",
        )
        .group_by(DrillSession.user_id)
    ):
        rows[user_id].drills = count
        rows[user_id].drill_mean = float(mean) if mean is not None else None


def _internship_progress(rows: dict[int, TraineeRow]) -> None:
    by_enrolment = {r.enrolment.id: r for r in rows.values()}
    placements = list(
        db.session.scalars(
            select(Placement).where(
                Placement.enrolment_id.in_(list(by_enrolment)), Placement.active
            )
        ).unique()
    )
    progress = progress_for_many(placements)
    for placement in placements:
        row = by_enrolment[placement.enrolment_id]
        row.placement, row.progress = placement, progress[placement.id]


def _overdue(rows: dict[int, TraineeRow]) -> list[Overdue]:
    items = []
    for row in rows.values():
        if row.progress is None:
            continue
        for task in row.progress.overdue:
            items.append(
                Overdue(
                    "internship_task",
                    row.user,
                    task.task.title,
                    task.due,
                    {"trainee_id": row.user.id},
                )
            )
    today = clock.today()
    for rec in db.session.scalars(
        select(CoachingRecord).where(
            CoachingRecord.trainee_id.in_(list(rows)),
            CoachingRecord.status == "open",
            CoachingRecord.follow_up_on < today,
        )
    ).unique():
        items.append(
            Overdue(
                "coaching_follow_up",
                rec.trainee,
                rec.agreed_actions[:80],
                rec.follow_up_on,
                {"record_id": rec.id},
            )
        )
    return sorted(items, key=lambda o: (o.due, o.trainee.name))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


WeekPoint = tuple[date, float | None, float | None]


def _weekly_trend(start: date, user_ids: list[int]) -> list[WeekPoint]:
    """Mean quiz and drill percent per week, from the cohort's start week to this week
    (at most the last TREND_WEEKS weeks)."""
    first = week_start(start)
    last = week_start(clock.today())
    if last < first:
        last = first
    weeks = []
    cursor = max(first, last - timedelta(weeks=TREND_WEEKS - 1))
    while cursor <= last:
        weeks.append(cursor)
        cursor += timedelta(weeks=1)
    since = clock.start_of_day(weeks[0])
    quiz_sums: dict[date, list[float]] = defaultdict(list)
    for submitted_at, percent in db.session.execute(
        select(Attempt.submitted_at, Attempt.percent).where(
            Attempt.user_id.in_(user_ids),
            Attempt.state == AttemptState.GRADED,
            Attempt.submitted_at >= since,
            Attempt.percent.is_not(None),
        )
    ):
        quiz_sums[week_start(clock.business_date(submitted_at))].append(percent)
    drill_sums: dict[date, list[float]] = defaultdict(list)
    for finished_at, percent in db.session.execute(
        select(DrillSession.finished_at, DrillSession.percent).where(
            DrillSession.user_id.in_(user_ids),
            DrillSession.preview.is_(False),
            DrillSession.state == "finished",
            DrillSession.finished_at >= since,
        )
    ):
        drill_sums[week_start(clock.business_date(finished_at))].append(percent)

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    return [(w, mean(quiz_sums.get(w, [])), mean(drill_sums.get(w, []))) for w in weeks]


# ---- one trainee ---------------------------------------------------------------------------


def sign_off_facts(user_id: int) -> list[ScoreFact]:
    """Mentors' ratings (1–5) of internship tasks that practise a procedure, still standing."""
    rows = db.session.execute(
        select(PlanTask.procedure_key, SignOff.rating)
        .join(SignOff, SignOff.task_id == PlanTask.id)
        .join(Enrolment, SignOff.enrolment_id == Enrolment.id)
        .where(
            Enrolment.user_id == user_id,
            SignOff.withdrawn_at.is_(None),
            PlanTask.procedure_key.is_not(None),
        )
    ).all()
    return [ScoreFact("topic", procedure, rating, 5, "internship") for procedure, rating in rows]


def trainee_weak_areas(trainee: User) -> WeakAreas:
    """Scores by topic and procedure step across quizzes, drills and internship sign-offs,
    with the forbidden phrases used most and the rubric elements most often missed."""
    scores = quiz_facts(trainee.id)
    drill_scores, phrases, elements = drill_facts(trainee.id)
    scores += drill_scores + sign_off_facts(trainee.id)
    return weak_areas(scores, phrases, elements, labels_for({(f.kind, f.key) for f in scores}))


def trainee_attempts(trainee: User) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.user_id == trainee.id, Attempt.state != AttemptState.IN_PROGRESS)
            .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        ).unique()
    )


def trainee_drills(trainee: User, limit: int = 20) -> list[DrillSession]:
    return list(
        db.session.scalars(
            select(DrillSession)
            .where(
                DrillSession.user_id == trainee.id,
                DrillSession.preview.is_(False),
                DrillSession.state == "finished",
            )
            .order_by(DrillSession.finished_at.desc(), DrillSession.id.desc())
            .limit(limit)
        ).unique()
    )


@dataclass(frozen=True)
class TraineeFilters:
    """What the trainee list is narrowed by: a search (employee number or name prefix), a
    cohort, a stage."""

    q: str = ""
    cohort_id: int | None = None
    stage: Stage | None = None

    @classmethod
    def from_args(cls, args) -> "TraineeFilters":
        stage = args.get("stage", "")
        return cls(
            q=args.get("q", "").strip(),
            cohort_id=args.get("cohort", type=int),
            stage=Stage(stage) if stage in {s.value for s in Stage} else None,
        )


def visible_trainees(user: User, filters: TraineeFilters = TraineeFilters()) -> Select:
    """Enrolments whose reports `user` may open (all for trainers, mentees for mentors) that
    match `filters`, in name order: a statement for `db.paginate`, so one page is loaded."""
    query = (
        select(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .options(joinedload(Enrolment.cohort))
    )
    if not sees_everyone(user):
        query = query.where(Enrolment.user_id.in_(mentee_ids(user) or {-1}))
    if filters.q:
        query = query.where(user_matches(filters.q))
    if filters.cohort_id:
        query = query.where(Enrolment.cohort_id == filters.cohort_id)
    if filters.stage:
        query = query.where(Enrolment.stage == filters.stage)
    return query.order_by(User.name, User.employee_no, Enrolment.id)


def quiz_overview() -> list[tuple[Quiz, int]]:
    """Quizzes with their number of graded attempts, exams first."""
    counts = dict(
        db.session.execute(
            select(Attempt.quiz_id, func.count())
            .where(Attempt.state == AttemptState.GRADED)
            .group_by(Attempt.quiz_id)
        ).all()
    )
    quizzes = db.session.scalars(select(Quiz).order_by(Quiz.purpose, Quiz.title)).unique().all()
    return [(q, counts.get(q.id, 0)) for q in quizzes]

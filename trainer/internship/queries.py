"""Read side: progress of one or many placements in a fixed number of queries, overdue lists."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from trainer import clock
from trainer.accounts.models import User
from trainer.extensions import db
from trainer.internship.models import Absence, LogEntry, Placement, PlanTask, SignOff
from trainer.internship.progress import (
    Progress,
    SignOffFact,
    TaskProgress,
    TaskSpec,
    compute_progress,
)
from trainer.training.models import Enrolment
from trainer.training.stages import Stage

FINISHED = (Stage.INTERNSHIP_COMPLETE, Stage.FINAL_PASSED, Stage.CERTIFIED)


def task_spec(task: PlanTask) -> TaskSpec:
    return TaskSpec(
        task.id, task.week, task.position, task.title, task.required, task.observations_needed
    )


def progress_for_many(placements: list[Placement]) -> dict[int, Progress]:
    """{placement id: Progress}, in three queries whatever the number of placements."""
    if not placements:
        return {}
    plan_ids = {p.plan_id for p in placements}
    enrolment_ids = {p.enrolment_id for p in placements}
    tasks_by_plan: dict[int, list[TaskSpec]] = defaultdict(list)
    for task in db.session.scalars(
        select(PlanTask).where(PlanTask.plan_id.in_(plan_ids), PlanTask.retired.is_(False))
    ):
        tasks_by_plan[task.plan_id].append(task_spec(task))
    absences: dict[int, list] = defaultdict(list)
    for enrolment_id, day in db.session.execute(
        select(Absence.enrolment_id, Absence.day).where(Absence.enrolment_id.in_(enrolment_ids))
    ):
        absences[enrolment_id].append(day)
    facts: dict[int, list[SignOffFact]] = defaultdict(list)
    for enrolment_id, task_id, grade, withdrawn_at in db.session.execute(
        select(SignOff.enrolment_id, SignOff.task_id, SignOff.grade, SignOff.withdrawn_at).where(
            SignOff.enrolment_id.in_(enrolment_ids)
        )
    ):
        facts[enrolment_id].append(SignOffFact(task_id, grade.successful, withdrawn_at is not None))
    today = clock.today()
    return {
        p.id: compute_progress(
            start=p.start_date,
            today=today,
            internship_days=p.enrolment.programme.internship_days,
            absences=absences[p.enrolment_id],
            tasks=tasks_by_plan[p.plan_id],
            sign_offs=facts[p.enrolment_id],
        )
        for p in placements
    }


def progress_for(placement: Placement) -> Progress:
    return progress_for_many([placement])[placement.id]


def active_placements(mentor: User | None = None, in_progress: bool = True) -> list[Placement]:
    """Active placements, all or one mentor's, trainees in name order; by default only those
    whose internship is not yet complete (finished trainees leave the mentor's list)."""
    query = select(Placement).where(Placement.active)
    if in_progress:
        query = query.join(Enrolment, Enrolment.id == Placement.enrolment_id).where(
            Enrolment.stage.not_in(FINISHED)
        )
    if mentor is not None:
        query = query.where(Placement.mentor_id == mentor.id)
    placements = list(db.session.scalars(query).unique())
    return sorted(placements, key=lambda p: (p.enrolment.user.name, p.id))


def sign_offs_of(enrolment_id: int) -> list[SignOff]:
    return list(
        db.session.scalars(
            select(SignOff)
            .where(SignOff.enrolment_id == enrolment_id)
            .order_by(SignOff.observed_on.desc(), SignOff.id.desc())
        ).unique()
    )


def log_of(enrolment_id: int) -> list[LogEntry]:
    return list(
        db.session.scalars(
            select(LogEntry)
            .where(LogEntry.enrolment_id == enrolment_id)
            .order_by(LogEntry.day.desc(), LogEntry.id.desc())
        ).unique()
    )


def absences_of(enrolment_id: int) -> list[Absence]:
    return list(
        db.session.scalars(
            select(Absence).where(Absence.enrolment_id == enrolment_id).order_by(Absence.day)
        )
    )


@dataclass(frozen=True)
class OverdueTask:
    placement: Placement
    task: TaskProgress


def overdue_by_mentor(mentor: User | None = None) -> dict[User, list[OverdueTask]]:
    """Overdue tasks of active placements, grouped by mentor (one mentor's when given)."""
    placements = active_placements(mentor)
    progress = progress_for_many(placements)
    grouped: dict[User, list[OverdueTask]] = defaultdict(list)
    for placement in placements:
        for task in progress[placement.id].overdue:
            grouped[placement.mentor].append(OverdueTask(placement, task))
    return dict(sorted(grouped.items(), key=lambda item: item[0].employee_no))

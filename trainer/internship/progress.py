"""The internship gate and progress, as pure functions of dates and sign-off facts.

Days interned are calendar days elapsed since the start, minus recorded absences; a task is
done when enough successful, not-withdrawn sign-offs exist; a required task is overdue when
the end of its week has passed and it is not done. No database here, so the rules are
unit-tested alone.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class TaskSpec:
    id: int
    week: int
    position: int
    title: str
    required: bool
    observations_needed: int


@dataclass(frozen=True)
class SignOffFact:
    task_id: int
    successful: bool
    withdrawn: bool

    @property
    def counts(self) -> bool:
        return self.successful and not self.withdrawn


@dataclass(frozen=True)
class TaskProgress:
    task: TaskSpec
    observed: int
    due: date
    overdue: bool

    @property
    def done(self) -> bool:
        return self.observed >= self.task.observations_needed


@dataclass
class Progress:
    start: date
    days_interned: int
    days_required: int
    tasks: list[TaskProgress] = field(default_factory=list)

    @property
    def required_tasks(self) -> list[TaskProgress]:
        return [t for t in self.tasks if t.task.required]

    @property
    def required_done(self) -> int:
        return sum(t.done for t in self.required_tasks)

    @property
    def required_total(self) -> int:
        return len(self.required_tasks)

    @property
    def overdue(self) -> list[TaskProgress]:
        return [t for t in self.tasks if t.overdue]

    @property
    def days_met(self) -> bool:
        return self.days_interned >= self.days_required

    @property
    def tasks_met(self) -> bool:
        return self.required_done == self.required_total

    @property
    def complete(self) -> bool:
        return self.days_met and self.tasks_met

    @property
    def next_task(self) -> TaskProgress | None:
        """What the mentor should observe next: overdue first, then in plan order."""
        pending = [t for t in self.tasks if not t.done]
        pending.sort(
            key=lambda t: (not t.overdue, not t.task.required, t.task.week, t.task.position)
        )
        return pending[0] if pending else None

    @property
    def percent(self) -> int:
        """Share of the way done: days and required observations weigh equally."""
        day_share = min(self.days_interned / self.days_required, 1) if self.days_required else 1
        needed = sum(t.task.observations_needed for t in self.required_tasks)
        observed = sum(min(t.observed, t.task.observations_needed) for t in self.required_tasks)
        task_share = observed / needed if needed else 1
        return int(round(50 * day_share + 50 * task_share))


def days_interned(start: date, today: date, absences: Iterable[date]) -> int:
    """Calendar days elapsed since `start` (the start day counts once over), minus absences
    that fall in that span. A start in the future gives 0."""
    elapsed = (today - start).days
    if elapsed <= 0:
        return 0
    missed = {day for day in absences if start <= day < today}
    return max(elapsed - len(missed), 0)


def task_due(start: date, week: int, internship_days: int) -> date:
    """A task is due by the end of its week, and never later than the internship's last day."""
    return start + timedelta(days=min(7 * week, internship_days))


def compute_progress(
    *,
    start: date,
    today: date,
    internship_days: int,
    absences: Iterable[date],
    tasks: Iterable[TaskSpec],
    sign_offs: Iterable[SignOffFact],
) -> Progress:
    counted: dict[int, int] = {}
    for fact in sign_offs:
        if fact.counts:
            counted[fact.task_id] = counted.get(fact.task_id, 0) + 1
    rows = []
    for task in sorted(tasks, key=lambda t: (t.week, t.position)):
        due = task_due(start, task.week, internship_days)
        observed = counted.get(task.id, 0)
        done = observed >= task.observations_needed
        overdue = task.required and not done and today > due
        rows.append(TaskProgress(task, observed, due, overdue))
    return Progress(
        start=start,
        days_interned=days_interned(start, today, absences),
        days_required=internship_days,
        tasks=rows,
    )

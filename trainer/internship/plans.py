"""Loading validated plan templates into the database: all-or-nothing and idempotent."""

from pathlib import Path

from sqlalchemy import select

from trainer.audit.services import record
from trainer.extensions import db
from trainer.internship.models import InternshipPlan, PlanTask
from trainer.internship.plan_files import PlanData, known_procedures, parse_plan, parse_plan_files

TASK_COLUMNS = (
    "title",
    "week",
    "week_title",
    "position",
    "description",
    "procedure_key",
    "required",
    "observations_needed",
    "needs_duty_manager",
    "checklist",
)


def upsert_plan(data: PlanData, actor=None) -> tuple[InternshipPlan, bool]:
    """Create or update the plan with `data.key`; return (plan, changed).

    Tasks are matched by key so sign-offs keep pointing at them; a task no longer in the
    file is retired (it stops counting) rather than deleted.
    """
    plan = db.session.scalar(select(InternshipPlan).where(InternshipPlan.key == data.key))
    changed = plan is None
    if plan is None:
        plan = InternshipPlan(key=data.key)
        db.session.add(plan)
    for attr, value in (
        ("title", data.title),
        ("description", data.description or None),
        ("programme_code", data.programme_code),
        ("source_text", data.source_text),
        ("source_name", data.source_name),
    ):
        if getattr(plan, attr) != value:
            setattr(plan, attr, value)
            changed = True
    existing = {task.key: task for task in plan.tasks}
    for task_data in data.tasks:
        task = existing.pop(task_data.key, None)
        if task is None:
            task = PlanTask(key=task_data.key)
            plan.tasks.append(task)
            changed = True
        if task.retired:
            task.retired, changed = False, True
        for column in TASK_COLUMNS:
            value = getattr(task_data, column)
            if getattr(task, column) != value:
                setattr(task, column, value)
                changed = True
    for task in existing.values():
        if not task.retired:
            task.retired, changed = True, True
    db.session.flush()
    if changed:
        record(
            actor,
            "internship.plan_load",
            plan,
            after={"key": plan.key, "tasks": len(data.tasks), "source": data.source_name},
        )
    return plan, changed


def load_plan_files(paths: list[Path] | None = None, actor=None) -> tuple[int, int]:
    """Validate every file first, then load them all; return (plans, plans changed)."""
    plans = parse_plan_files(paths)  # raises PlanFileError before anything is written
    changed = sum(upsert_plan(plan, actor)[1] for plan in plans)
    return len(plans), changed


def save_plan_text(actor, text: str, source: str) -> InternshipPlan:
    """A trainer's edit of a plan in the browser: same validation as the files."""
    plan, _changed = upsert_plan(parse_plan(text, source, known_procedures()), actor)
    return plan


def load_default_plans() -> str:
    """Library loader (order 30)."""
    count, changed = load_plan_files()
    return f"{count} plans ({changed} new or changed)"

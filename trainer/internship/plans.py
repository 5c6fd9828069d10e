"""Loading validated plan templates into the database: all-or-nothing and idempotent."""

import hashlib
from pathlib import Path

from sqlalchemy import select

from trainer.audit.models import AuditEntry
from trainer.audit.services import record
from trainer.extensions import db
from trainer.internship.models import InternshipPlan, PlanTask
from trainer.internship.plan_files import PlanData, known_procedures, parse_plan, parse_plan_files
from trainer.library.sync import Outcome, active_reload

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


def text_digest(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def load_plan_files(paths: list[Path] | None = None, actor=None) -> tuple[int, int]:
    """Validate every file first, then load them all; return (plans, plans changed).
    Inside a library reload, three-way (trainer.library.sync): UI edits are never lost."""
    plans = parse_plan_files(paths)  # raises PlanFileError before anything is written
    reconciler = active_reload()
    changed = 0
    for plan in plans:
        if reconciler is not None and not _decide(reconciler, plan).takes_file:
            continue
        changed += upsert_plan(plan, actor)[1]
    return len(plans), changed


def _decide(reconciler, data: PlanData) -> Outcome:
    plan = db.session.scalar(select(InternshipPlan).where(InternshipPlan.key == data.key))
    return reconciler.decide(
        "internship plan",
        data.key,
        text_digest(data.source_text),
        text_digest(plan.source_text) if plan is not None else None,
        pending={"text": data.source_text, "source": data.source_name},
        edited_before_tracking=lambda: _last_saved_by_someone(plan),
    )


def _last_saved_by_someone(plan: InternshipPlan) -> bool:
    """Plans keep no versions: the audit log says whether a person saved it last (a trainer
    in the browser) rather than the loader (no actor)."""
    actor_id = db.session.scalar(
        select(AuditEntry.actor_id)
        .where(
            AuditEntry.action == "internship.plan_load",
            AuditEntry.target_type == InternshipPlan.__tablename__,
            AuditEntry.target_id == str(plan.id),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return actor_id is not None


def save_plan_text(actor, text: str, source: str) -> InternshipPlan:
    """A trainer's edit of a plan in the browser: same validation as the files."""
    plan, _changed = upsert_plan(parse_plan(text, source, known_procedures()), actor)
    return plan


def load_default_plans() -> str:
    """Library loader (order 30)."""
    count, changed = load_plan_files()
    return f"{count} plans ({changed} new or changed)"

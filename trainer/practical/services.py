"""Practical-assessment rules that change data: loading checklists, recording an assessment,
withdrawing one. Services take the acting user, check what they may do, flush and audit;
views commit. Who may observe whom is decided in `access.py`.
"""

import secrets
from datetime import date
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trainer import clock
from trainer.accounts.models import User
from trainer.audit.services import record
from trainer.errors import DomainError
from trainer.events import announce
from trainer.extensions import db
from trainer.internship.services import active_placement
from trainer.practical.access import observer_role
from trainer.practical.checklist_files import ChecklistData, parse_checklist_files
from trainer.practical.models import ItemResult, PracticalAssessment, PracticalChecklist
from trainer.practical.queries import checklist_for, passed_assessment
from trainer.practical.scoring import score
from trainer.training.models import Enrolment
from trainer.training.path import trainee_path
from trainer.training.stages import Stage

RECORDED = "practical.assessment_recorded"  # announced with assessment_id, actor_id
NOTE_LIMIT = 500


class PracticalError(DomainError):
    """A rule of the practical assessment was broken; the message is safe to show."""


def new_idempotency_token() -> str:
    return secrets.token_urlsafe(24)


# ---- the library ---------------------------------------------------------------------------


def upsert_checklist(data: ChecklistData, actor=None) -> tuple[PracticalChecklist, bool]:
    """Create or update the checklist with `data.key`; return (checklist, changed).

    Assessments keep their own snapshot of the items, so editing a checklist never changes
    a recorded result.
    """
    checklist = db.session.scalar(
        select(PracticalChecklist).where(PracticalChecklist.key == data.key)
    )
    changed = checklist is None
    if checklist is None:
        checklist = PracticalChecklist(key=data.key)
        db.session.add(checklist)
    for attr, value in (
        ("title", data.title),
        ("description", data.description),
        ("programme_code", data.programme_code),
        ("pass_percent", data.pass_percent),
        ("items", data.items),
        ("source_name", data.source_name),
        ("retired", False),
    ):
        if getattr(checklist, attr) != value:
            setattr(checklist, attr, value)
            changed = True
    db.session.flush()
    if changed:
        record(
            actor,
            "practical.checklist_load",
            checklist,
            after={"key": checklist.key, "items": len(data.items), "source": data.source_name},
        )
    return checklist, changed


def load_checklist_files(paths: list[Path] | None = None, actor=None) -> tuple[int, int]:
    """Validate every file first, then load them all; return (checklists, changed).

    Loading the whole folder retires checklists whose file is gone.
    """
    checklists = parse_checklist_files(paths)  # raises before anything is written
    changed = sum(upsert_checklist(data, actor)[1] for data in checklists)
    if paths is None:
        keys = {data.key for data in checklists}
        for gone in db.session.scalars(
            select(PracticalChecklist).where(
                PracticalChecklist.key.not_in(keys), PracticalChecklist.retired.is_(False)
            )
        ):
            gone.retired, changed = True, changed + 1
        db.session.flush()
    return len(checklists), changed


def load_default_checklists() -> str:
    """Library loader (order 35, after the internship plans)."""
    count, changed = load_checklist_files()
    return f"{count} checklists ({changed} new or changed)"


# ---- assessing ---------------------------------------------------------------------------


def assessment_by_token(token: str) -> PracticalAssessment | None:
    return db.session.scalar(
        select(PracticalAssessment).where(PracticalAssessment.idempotency_token == token)
    )


def check_can_be_assessed(enrolment: Enrolment) -> PracticalChecklist:
    """The checklist to use; raises PracticalError when the trainee cannot be assessed now."""
    if enrolment.stage is not Stage.INTERNSHIP_COMPLETE:
        raise PracticalError(
            _l("The practical assessment is held once the internship is complete.")
        )
    if passed_assessment(enrolment) is not None:
        raise PracticalError(_l("This trainee has already passed the practical assessment."))
    checklist = checklist_for(enrolment)
    if checklist is None:
        raise PracticalError(_l("No practical checklist is set up for this programme."))
    return checklist


def record_assessment(
    observer: User,
    enrolment: Enrolment,
    *,
    observed_on: date,
    results: dict[str, ItemResult],
    notes: dict[str, str] | None = None,
    comment: str,
    idempotency_token: str,
) -> PracticalAssessment:
    """Score and sign one observed assessment.

    Idempotent: the form's one-time token is unique in the database, so a double tap or a
    resent request returns the assessment already recorded. Raises PracticalError when the
    observer may not assess this trainee, the trainee is not at the final stage or has passed
    already, the date is wrong, an item has no result, or a failed item lacks a comment.
    """
    if not idempotency_token:
        raise PracticalError(_l("The form has expired; open it again."))
    if (existing := assessment_by_token(idempotency_token)) is not None:
        return existing
    role = observer_role(observer, enrolment)
    if role is None:
        raise PracticalError(
            _l("Only the trainee's mentor or duty manager, or a trainer, can assess.")
        )
    checklist = check_can_be_assessed(enrolment)
    placement = active_placement(enrolment)
    if observed_on > clock.today():
        raise PracticalError(_l("An assessment cannot be dated in the future."))
    if placement is not None and observed_on < placement.start_date:
        raise PracticalError(_l("An assessment cannot be dated before the internship began."))
    missing = [item["text"] for item in checklist.items if item["key"] not in results]
    if missing:
        raise PracticalError(
            _l("Give a result for every item; missing: %(items)s"), items="；".join(missing)
        )
    outcome = score(checklist.items, results, checklist.pass_percent)
    comment = comment.strip()
    if not outcome.passed and not comment:
        raise PracticalError(_l("Say in the comment what the trainee must improve."))
    notes = notes or {}
    snapshot = [
        {
            "key": item["key"],
            "section": item["section"],
            "text": item["text"],
            "weight": item["weight"],
            "critical": item["critical"],
            "result": results[item["key"]].value,
            "note": (notes.get(item["key"]) or "").strip()[:NOTE_LIMIT],
        }
        for item in checklist.items
    ]
    assessment = PracticalAssessment(
        enrolment_id=enrolment.id,
        checklist_id=checklist.id,
        observer_id=observer.id,
        observer_role=role.value,
        observed_on=observed_on,
        results=snapshot,
        score=outcome.score,
        max_score=outcome.max_score,
        percent=outcome.percent,
        pass_percent=outcome.pass_percent,
        passed=outcome.passed,
        comment=comment,
        idempotency_token=idempotency_token,
    )
    db.session.add(assessment)
    # Two requests with the same token at once: the unique key makes the second flush (or
    # commit) raise IntegrityError; the caller rolls back and finds the first by its token.
    db.session.flush()
    record(
        observer,
        "practical.assess",
        assessment,
        after={
            "trainee": enrolment.user.employee_no,
            "checklist": checklist.key,
            "observed_on": observed_on,
            "role": role.value,
            "percent": outcome.percent,
            "passed": outcome.passed,
            "critical_failures": list(outcome.critical_failures),
        },
    )
    announce(RECORDED, assessment_id=assessment.id, actor_id=observer.id)
    if outcome.passed:
        trainee_path.catch_up(enrolment, observer)
    return assessment


def withdraw_assessment(actor: User, assessment: PracticalAssessment, reason: str):
    """Withdraw with a reason (audited); withdrawing again changes nothing.

    The trainee's stage is not moved back (the path only goes forward); a trainer who finds
    a certificate unearned revokes it, which is audited on its own.
    """
    reason = reason.strip()
    if not reason:
        raise PracticalError(_l("Give a reason for withdrawing the assessment."))
    if assessment.withdrawn:
        return assessment
    assessment.withdrawn_at = clock.now()
    assessment.withdrawn_by_id = actor.id
    assessment.withdrawal_reason = reason
    db.session.flush()
    record(
        actor,
        "practical.withdraw",
        assessment,
        before={"withdrawn": False},
        after={"withdrawn": True},
        reason=reason,
    )
    return assessment

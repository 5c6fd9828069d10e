"""Recording audit entries. Every service that signs off, overrides or revokes calls `record`."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from trainer.audit.models import AuditEntry
from trainer.extensions import db


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def record(
    actor,
    action: str,
    target,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Add an audit entry for `target` (a model instance, flushed so it has an id).

    `actor` is a User or None for the system (CLI jobs, automatic submission).
    """
    # current_user is a proxy; the audit row wants the model class behind it.
    target = getattr(target, "_get_current_object", lambda: target)()
    if getattr(target, "id", None) is None:
        db.session.flush()
    return record_event(
        actor, action, type(target).__tablename__, str(target.id), before, after, reason
    )


def record_event(
    actor,
    action: str,
    target_type: str,
    target_id: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Add an audit entry for something that is not one row (e.g. a retention purge)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
    )
    db.session.add(entry)
    db.session.flush()
    return entry

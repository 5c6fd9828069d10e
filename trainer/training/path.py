"""The trainee path as a state machine: enrolled → … → certified.

Each forward step has requirements that feature packages register in their `init_app`
(modules studied, exams passed, internship days and sign-offs). A transition is legal only
one step forward; it happens when every requirement is met, or when a trainer overrides with
a reason. Every transition is recorded as a StageChange and audited.

The move is a conditional UPDATE (`WHERE stage = :from`): of two sessions that loaded the same
enrolment, one moves it and the other finds it moved, so the StageChange, the audit entry and
the listeners happen once; the unique (enrolment, to_stage) key backs this up in the database.
Listeners ("a trainee entered FINAL_PASSED") run after the commit, in a transaction of their
own, so what they do (issue a certificate) can never undo the move that triggered them.

The path lives on the app (`app.extensions["trainee_path"]`); `trainee_path` is a proxy to
the current app's, like `flask.current_app`.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from werkzeug.local import LocalProxy

from trainer import clock
from trainer.accounts.models import User
from trainer.audit.services import record
from trainer.errors import DomainError
from trainer.events import after_commit
from trainer.extensions import db
from trainer.training.models import Enrolment, StageChange
from trainer.training.stages import Stage

# A requirement returns the reasons it is unmet (user-facing sentences); empty means met.
Requirement = Callable[[Enrolment], Iterable[str]]
# A listener runs after the commit of a move into its stage: (enrolment, actor or None).
Listener = Callable[[Enrolment, User | None], None]


class PathError(DomainError):
    """A domain error on the trainee path; the message is safe to show."""


class IllegalTransition(PathError):
    def __init__(self, from_stage: Stage, to_stage: Stage):
        self.from_stage, self.to_stage = from_stage, to_stage
        super().__init__(
            _l("Cannot move from %(from_stage)s to %(to_stage)s."),
            from_stage=from_stage.label,
            to_stage=to_stage.label,
        )


class StageMoved(PathError):
    """Another request moved the trainee first; nothing was recorded twice."""

    def __init__(self, enrolment: Enrolment):
        super().__init__(
            _l("The trainee was moved on meanwhile (now: %(stage)s)."), stage=enrolment.stage.label
        )


class RequirementsUnmet(PathError):
    def __init__(self, to_stage: Stage, unmet: list[str]):
        self.to_stage, self.unmet = to_stage, unmet
        super().__init__(
            _l("Cannot enter %(stage)s: %(reasons)s"),
            stage=to_stage.label,
            reasons="; ".join(unmet),
        )


class TraineePath:
    def __init__(self) -> None:
        self._requirements: dict[Stage, dict[str, Requirement]] = defaultdict(dict)
        self._listeners: dict[Stage, dict[str, Listener]] = defaultdict(dict)

    def requirement(self, to_stage: Stage) -> Callable[[Requirement], Requirement]:
        """Register a requirement for entering `to_stage` (idempotent per function)."""

        def register(check: Requirement) -> Requirement:
            self._requirements[to_stage][f"{check.__module__}.{check.__qualname__}"] = check
            return check

        return register

    def on_enter(self, stage: Stage) -> Callable[[Listener], Listener]:
        """Register a listener run after a move into `stage` commits (e.g. issue a certificate)."""

        def register(listener: Listener) -> Listener:
            self._listeners[stage][f"{listener.__module__}.{listener.__qualname__}"] = listener
            return listener

        return register

    def requirements_for(self, to_stage: Stage) -> list[Requirement]:
        return list(self._requirements[to_stage].values())

    def listeners_for(self, stage: Stage) -> list[Listener]:
        return list(self._listeners[stage].values())

    def unmet(self, enrolment: Enrolment, to_stage: Stage | None = None) -> list[str]:
        """Reasons the trainee cannot yet enter `to_stage` (default: the next stage)."""
        to_stage = to_stage or enrolment.stage.next()
        if to_stage is None:
            return []
        return [reason for check in self.requirements_for(to_stage) for reason in check(enrolment)]

    def advance(
        self, enrolment: Enrolment, to_stage: Stage, actor=None, *, override_reason: str = ""
    ) -> StageChange:
        """Move one step forward.

        Raises IllegalTransition unless `to_stage` is the next stage, RequirementsUnmet when a
        requirement is unmet and no override reason is given, and StageMoved when another
        session moved the trainee between loading and moving.
        """
        from_stage = enrolment.stage
        if to_stage != from_stage.next():
            raise IllegalTransition(from_stage, to_stage)
        override_reason = override_reason.strip()
        unmet = self.unmet(enrolment, to_stage)
        if unmet and not override_reason:
            raise RequirementsUnmet(to_stage, unmet)
        moved = db.session.execute(
            update(Enrolment)
            .where(Enrolment.id == enrolment.id, Enrolment.stage == from_stage)
            .values(stage=to_stage, stage_changed_at=clock.now())
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(enrolment, ["stage", "stage_changed_at"])
        if moved.rowcount != 1:
            raise StageMoved(enrolment)
        change = StageChange(
            enrolment_id=enrolment.id,
            from_stage=from_stage,
            to_stage=to_stage,
            actor_id=getattr(actor, "id", None),
            override_reason=override_reason if unmet else None,
        )
        db.session.add(change)
        db.session.flush()
        db.session.expire(enrolment, ["stage_changes"])
        record(
            actor,
            "path.override" if unmet else "path.advance",
            enrolment,
            before={"stage": from_stage},
            after={"stage": to_stage, "unmet": unmet},
            reason=override_reason or None,
        )
        for listener in self.listeners_for(to_stage):
            after_commit(partial(_run_listener, listener, enrolment.id, getattr(actor, "id", None)))
        return change

    def catch_up(
        self, enrolment: Enrolment, actor=None, *, stop_before: Stage | None = None
    ) -> list[StageChange]:
        """Advance as far as the requirements allow; return the changes made.

        Services call this after anything that may satisfy a requirement (a module studied,
        an exam passed, a sign-off), and scheduled jobs for what time alone satisfies, so the
        trainee never waits on a trainer. A step without any registered requirement waits for
        an explicit `advance`. Losing a race to another session is not an error here.
        """
        changes = []
        while (to_stage := enrolment.stage.next()) and to_stage != stop_before:
            if not self.requirements_for(to_stage) or self.unmet(enrolment, to_stage):
                break
            try:
                changes.append(self.advance(enrolment, to_stage, actor))
            except StageMoved:
                continue  # someone else took this step; carry on from where they left it
        return changes


def _run_listener(listener: Listener, enrolment_id: int, actor_id: int | None) -> None:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is not None:
        listener(enrolment, db.session.get(User, actor_id) if actor_id else None)


def current_path() -> TraineePath:
    return current_app.extensions["trainee_path"]


trainee_path: TraineePath = LocalProxy(current_path)  # type: ignore[assignment]


def init_app(app: Flask) -> None:
    app.extensions["trainee_path"] = TraineePath()

"""The trainee path as a state machine: enrolled → … → certified.

Each forward step has requirements that feature packages register (modules studied,
exams passed, internship days and sign-offs). A transition is legal only one step
forward; it happens when every requirement is met, or when a trainer overrides with
a reason. Every transition is recorded as a StageChange and audited.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from trainer import clock
from trainer.audit.services import record
from trainer.extensions import db
from trainer.training.models import Enrolment, StageChange
from trainer.training.stages import Stage

# A requirement returns the reasons it is unmet (user-facing sentences); empty means met.
Requirement = Callable[[Enrolment], Iterable[str]]
# A listener runs after a trainee enters a stage: (enrolment, actor) -> None.
Listener = Callable[[Enrolment, object], None]


class PathError(Exception):
    """A domain error on the trainee path; the message is safe to show."""


class IllegalTransition(PathError):
    def __init__(self, from_stage: Stage, to_stage: Stage):
        self.from_stage, self.to_stage = from_stage, to_stage
        super().__init__(f"cannot move from {from_stage.value} to {to_stage.value}")


class RequirementsUnmet(PathError):
    def __init__(self, to_stage: Stage, unmet: list[str]):
        self.to_stage, self.unmet = to_stage, unmet
        super().__init__(f"cannot enter {to_stage.value}: " + "; ".join(unmet))


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
        """Register a listener run after a trainee enters `stage` (e.g. issue a certificate)."""

        def register(listener: Listener) -> Listener:
            self._listeners[stage][f"{listener.__module__}.{listener.__qualname__}"] = listener
            return listener

        return register

    def requirements_for(self, to_stage: Stage) -> list[Requirement]:
        return list(self._requirements[to_stage].values())

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

        Raises IllegalTransition unless `to_stage` is the next stage, and RequirementsUnmet
        when a requirement is unmet and no override reason is given.
        """
        from_stage = enrolment.stage
        if to_stage != from_stage.next():
            raise IllegalTransition(from_stage, to_stage)
        override_reason = override_reason.strip()
        unmet = self.unmet(enrolment, to_stage)
        if unmet and not override_reason:
            raise RequirementsUnmet(to_stage, unmet)
        enrolment.stage = to_stage
        enrolment.stage_changed_at = clock.now()
        change = StageChange(
            from_stage=from_stage,
            to_stage=to_stage,
            actor_id=getattr(actor, "id", None),
            override_reason=override_reason if unmet else None,
        )
        enrolment.stage_changes.append(change)
        db.session.flush()
        record(
            actor,
            "path.override" if unmet else "path.advance",
            enrolment,
            before={"stage": from_stage},
            after={"stage": to_stage, "unmet": unmet},
            reason=override_reason or None,
        )
        for listener in list(self._listeners[to_stage].values()):
            listener(enrolment, actor)
        return change

    def catch_up(self, enrolment: Enrolment, actor=None, *, stop_before: Stage | None = None):
        """Advance as far as the requirements allow; return the changes made.

        Services call this after anything that may satisfy a requirement (a module
        studied, an exam passed, a sign-off), so the trainee never waits on a trainer.
        Steps without any registered requirement wait for an explicit `advance`.
        """
        start = len(enrolment.stage_changes)
        while (to_stage := enrolment.stage.next()) and to_stage != stop_before:
            # A step with no registered requirement is never taken automatically.
            if not self.requirements_for(to_stage) or self.unmet(enrolment, to_stage):
                break
            self.advance(enrolment, to_stage, actor)
        return enrolment.stage_changes[start:]


trainee_path = TraineePath()

"""The stages of a trainee's path, in order (DOMAIN.md)."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Stage(StrEnum):
    ENROLLED = "enrolled"
    PRE_JOB_TRAINING = "pre_job_training"
    PRE_JOB_PASSED = "pre_job_passed"
    INTERNING = "interning"
    INTERNSHIP_COMPLETE = "internship_complete"
    FINAL_PASSED = "final_passed"
    CERTIFIED = "certified"

    @property
    def label(self) -> str:
        return str(STAGE_LABELS[self])

    @property
    def position(self) -> int:
        return PATH.index(self)

    def next(self) -> "Stage | None":
        return PATH[self.position + 1] if self.position + 1 < len(PATH) else None

    def reached(self, other: "Stage") -> bool:
        """True when this stage is `other` or later on the path."""
        return self.position >= other.position


PATH: tuple[Stage, ...] = tuple(Stage)

STAGE_LABELS = {
    Stage.ENROLLED: _l("Enrolled"),
    Stage.PRE_JOB_TRAINING: _l("Pre-job training"),
    Stage.PRE_JOB_PASSED: _l("Pre-job exam passed"),
    Stage.INTERNING: _l("Interning"),
    Stage.INTERNSHIP_COMPLETE: _l("Internship complete"),
    Stage.FINAL_PASSED: _l("Final exam passed"),
    Stage.CERTIFIED: _l("Certified"),
}

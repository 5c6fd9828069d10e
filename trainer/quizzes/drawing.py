"""Which questions a quiz may draw, by the question's usage (pure, no database).

A practice review may show the right answer at once, so an exam-only question never reaches a
practice quiz; a gating exam (pre-job, final, refresher) draws only exam-only questions, whose
key no trainee can have seen.
"""

from trainer.quizzes.models import Purpose, Usage

GATING = frozenset({Purpose.PRE_JOB, Purpose.FINAL, Purpose.REFRESHER})


def is_gating(purpose) -> bool:
    return Purpose(purpose) in GATING


def drawable_usages(purpose) -> frozenset[Usage]:
    """The usages a quiz of `purpose` may draw (a str or a Purpose)."""
    if is_gating(purpose):
        return frozenset({Usage.EXAM})
    return frozenset({Usage.PRACTICE, Usage.BOTH})


def may_draw(purpose, usage) -> bool:
    return Usage(usage or Usage.BOTH) in drawable_usages(purpose)

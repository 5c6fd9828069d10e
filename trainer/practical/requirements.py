"""The practical assessment's place on the trainee path: FINAL_PASSED needs it passed, next
to the written final exam (registered by the package's init_app). A programme without a
checklist in the library has no practical assessment, as one without pre-job modules needs
none studied."""

from flask_babel import gettext as _

from trainer.practical.queries import checklist_for, passed_assessment
from trainer.training.models import Enrolment


def passed_practical_assessment(enrolment: Enrolment) -> list[str]:
    if checklist_for(enrolment) is None or passed_assessment(enrolment) is not None:
        return []
    return [_("Pass the practical assessment at the counter.")]


# The written final exam does not wait for this: a trainee may sit either first (the quiz
# engine leaves requirements marked `parallel` out of when an exam opens).
passed_practical_assessment.parallel = True  # type: ignore[attr-defined]

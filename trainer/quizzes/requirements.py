"""The exams' requirements on the trainee path (registered by the package's init_app)."""

from flask_babel import gettext as _

from trainer.quizzes.models import Purpose
from trainer.quizzes.results import has_passed
from trainer.training.models import Enrolment


def passed_pre_job_exam(enrolment: Enrolment) -> list[str]:
    if has_passed(enrolment.user, enrolment.programme_id, Purpose.PRE_JOB):
        return []
    return [_("Pass the pre-job exam.")]


def passed_final_exam(enrolment: Enrolment) -> list[str]:
    if has_passed(enrolment.user, enrolment.programme_id, Purpose.FINAL):
        return []
    return [_("Pass the final exam.")]

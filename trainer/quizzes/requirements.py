"""The exams' requirements on the trainee path."""

from flask_babel import gettext as _

from trainer.quizzes.models import Purpose
from trainer.training.models import Enrolment
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


@trainee_path.requirement(Stage.PRE_JOB_PASSED)
def passed_pre_job_exam(enrolment: Enrolment) -> list[str]:
    from trainer.quizzes.marking import has_passed

    if has_passed(enrolment.user, enrolment.programme_id, Purpose.PRE_JOB):
        return []
    return [_("Pass the pre-job exam.")]


@trainee_path.requirement(Stage.FINAL_PASSED)
def passed_final_exam(enrolment: Enrolment) -> list[str]:
    from trainer.quizzes.marking import has_passed

    if has_passed(enrolment.user, enrolment.programme_id, Purpose.FINAL):
        return []
    return [_("Pass the final exam.")]

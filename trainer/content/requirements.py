"""Content's requirement on the path: the pre-job exam stage needs every pre-job module studied."""

from flask_babel import gettext as _

from trainer.content.progress import unstudied_pre_job_modules
from trainer.training.models import Enrolment


def pre_job_modules_studied(enrolment: Enrolment) -> list[str]:
    missing = unstudied_pre_job_modules(enrolment)
    if not missing:
        return []
    return [_("Study the pre-job modules: %(titles)s", titles="、".join(m.title for m in missing))]

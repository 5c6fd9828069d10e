"""The foundation's own requirement on the path: training starts when the cohort does
(registered by the package's init_app)."""

from flask_babel import format_date
from flask_babel import gettext as _

from trainer import clock
from trainer.training.models import Enrolment


def cohort_has_started(enrolment: Enrolment) -> list[str]:
    cohort = enrolment.cohort
    if cohort is None:
        return [_("Not yet assigned to a cohort.")]
    if cohort.start_date > clock.today():
        return [_("The cohort starts on %(date)s.", date=format_date(cohort.start_date))]
    return []

"""The internship's guards on the trainee path (registered when the package is imported)."""

from flask_babel import gettext as _

from trainer.internship.queries import progress_for
from trainer.internship.services import active_placement
from trainer.training.models import Enrolment


def placed_with_a_mentor(enrolment: Enrolment) -> list[str]:
    placement = active_placement(enrolment)
    if placement is None or placement.mentor_id is None:
        return [_("Not yet placed in a business hall with a mentor.")]
    return []


def internship_days_and_required_tasks(enrolment: Enrolment) -> list[str]:
    placement = active_placement(enrolment)
    if placement is None:
        return [_("Not yet placed in a business hall with a mentor.")]
    progress = progress_for(placement)
    unmet = []
    if not progress.days_met:
        unmet.append(
            _(
                "%(done)d of %(needed)d internship days completed.",
                done=progress.days_interned,
                needed=progress.days_required,
            )
        )
    if not progress.tasks_met:
        unmet.append(
            _(
                "%(done)d of %(total)d required internship tasks signed off.",
                done=progress.required_done,
                total=progress.required_total,
            )
        )
    return unmet

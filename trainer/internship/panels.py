"""Dashboard panels: the mentor's mentees, the trainee's internship, the trainer's overview."""

from trainer.accounts.models import User
from trainer.internship import queries
from trainer.internship.services import active_placement
from trainer.training.services import current_enrolment
from trainer.training.stages import Stage


def mentor_panel(user: User) -> dict:
    placements = queries.active_placements(user)
    return {"placements": placements, "progress": queries.progress_for_many(placements)}


def trainee_panel(user: User) -> dict | None:
    enrolment = current_enrolment(user)
    if enrolment is None or not enrolment.stage.reached(Stage.PRE_JOB_PASSED):
        return None
    placement = active_placement(enrolment)
    return {
        "enrolment": enrolment,
        "placement": placement,
        "progress": queries.progress_for(placement) if placement else None,
        "sign_offs": queries.sign_offs_of(enrolment.id)[:5] if placement else [],
        "complete": enrolment.stage.reached(Stage.INTERNSHIP_COMPLETE),
        "final_exam_next": enrolment.stage is Stage.INTERNSHIP_COMPLETE,
    }


def trainer_panel(user: User) -> dict:
    counts = queries.internship_counts()
    return {"active": counts.active, "overdue": counts.overdue, "ready": counts.ready}

"""Dashboard panels: the trainee's practical assessment, the observer's trainees to assess."""

from trainer.accounts.models import User
from trainer.practical import queries
from trainer.training.services import current_enrolment
from trainer.training.stages import Stage


def trainee_panel(user: User) -> dict | None:
    enrolment = current_enrolment(user)
    if enrolment is None or not enrolment.stage.reached(Stage.INTERNSHIP_COMPLETE):
        return None
    checklist = queries.checklist_for(enrolment)
    assessments = queries.assessments_of(enrolment.id)
    if checklist is None and not assessments:
        return None
    standing = [a for a in assessments if not a.withdrawn]
    return {
        "enrolment": enrolment,
        "latest": standing[0] if standing else None,
        "passed": next((a for a in standing if a.passed), None),
    }


def observer_panel(user: User) -> dict | None:
    candidates = queries.candidates_to_assess(user)
    return {"candidates": candidates} if candidates else None


def trainer_panel(user: User) -> dict | None:
    candidates = queries.candidates_to_assess()
    return {"candidates": candidates} if candidates else None

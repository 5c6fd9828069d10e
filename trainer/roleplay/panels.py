"""Dashboard panels: a trainee's drills, a trainer's review queue."""

from trainer.accounts.models import User
from trainer.roleplay import queries
from trainer.roleplay.requirements import required_scenarios
from trainer.training.services import current_enrolment


def trainee_drills_panel(user: User) -> dict | None:
    rows = queries.drill_overview(user)
    if not rows:
        return None
    enrolment = current_enrolment(user)
    required = {s.id for s in required_scenarios(enrolment.programme)} if enrolment else set()
    return {
        "rows": rows,
        "passed": sum(1 for r in rows if r["passed"]),
        "required": [r for r in rows if r["scenario"].id in required],
    }


def trainer_review_panel(user: User) -> dict:
    return {"pending": queries.pending_review_count(), "recent": queries.recent_sessions(limit=5)}

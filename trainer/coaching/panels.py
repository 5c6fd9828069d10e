"""Dashboard panels: coaching records to acknowledge (trainee), follow-ups due (coaches)."""

from trainer import clock
from trainer.accounts.models import User
from trainer.coaching.services import follow_ups_due, unacknowledged_for


def trainee_coaching_panel(user: User) -> dict | None:
    pending = unacknowledged_for(user)
    return {"pending": pending} if pending else None


def coach_follow_ups_panel(user: User) -> dict:
    return {"due": follow_ups_due(user), "today": clock.today()}

"""Dashboard panels: coaching records to acknowledge (trainee), follow-ups due (coaches)."""

from trainer import clock
from trainer.accounts.models import User
from trainer.coaching.services import follow_ups_due, unacknowledged_for


def trainee_coaching_panel(user: User) -> dict | None:
    pending = unacknowledged_for(user)
    return {"pending": pending} if pending else None


PANEL_ROWS = 10  # the rest are on the coaching page


def coach_follow_ups_panel(user: User) -> dict:
    due = follow_ups_due(user, limit=PANEL_ROWS + 1)
    return {"due": due[:PANEL_ROWS], "more": len(due) > PANEL_ROWS, "today": clock.today()}

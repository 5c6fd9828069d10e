"""The trainee dashboard's badges panel (hidden until there is a badge to show)."""

from trainer.accounts.models import User
from trainer.recognition.services import badges_for


def trainee_badges_panel(user: User) -> dict | None:
    badges = badges_for(user)
    return {"badges": badges} if badges else None

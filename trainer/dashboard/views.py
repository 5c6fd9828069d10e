"""The dashboard: one page per role, built from the panels features register."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from trainer.panels import panels_for
from trainer.permissions import Role, any_user

bp = Blueprint("dashboard", __name__)

ROLE_ORDER = (Role.TRAINEE, Role.MENTOR, Role.TRAINER, Role.ADMIN)


@bp.get("/")
@any_user
def index():
    roles = [role for role in ROLE_ORDER if current_user.has_role(role)]
    wanted = request.args.get("as")
    role = next((r for r in roles if r.value == wanted), roles[0] if roles else None)
    panels = panels_for(current_user, role) if role else []
    return render_template("dashboard/index.html", roles=roles, role=role, panels=panels)

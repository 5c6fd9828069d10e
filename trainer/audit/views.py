"""The audit log page for administrators and trainers: filtered by action and target,
newest first."""

from flask import Blueprint, render_template, request
from sqlalchemy import select

from trainer.audit.models import AuditEntry
from trainer.extensions import db
from trainer.permissions import Role, require_role

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@require_role(Role.ADMIN, Role.TRAINER)
def index():
    query = select(AuditEntry)
    if action := request.args.get("action", "").strip():
        query = query.where(AuditEntry.action.startswith(action))
    if target_type := request.args.get("target_type", "").strip():
        query = query.where(AuditEntry.target_type == target_type)
    page = db.paginate(query.order_by(AuditEntry.id.desc()), per_page=50)
    return render_template("audit/index.html", page=page, action=action, target_type=target_type)

"""The files (images) questions show: served to whoever may see the question, never more."""

from flask import Blueprint, abort, make_response, request
from flask_login import current_user

from trainer.downloads import content_disposition
from trainer.extensions import db
from trainer.permissions import any_user
from trainer.quizzes.assets import INLINE_TYPES, load_asset, may_see_file
from trainer.quizzes.models import QuestionVersion

bp = Blueprint("quiz_assets", __name__, url_prefix="/quizzes/files")


@bp.get("/<int:version_id>/<path:name>")
@any_user
def file(version_id: int, name: str):
    """404 (not 403) for a file the user may not see: its existence is not told either."""
    version = db.get_or_404(QuestionVersion, version_id)
    digest = ((version.payload or {}).get("files") or {}).get(name)
    if digest is None or not may_see_file(current_user, version, name):
        abort(404)
    asset = load_asset(digest)
    if asset is None:
        abort(404)
    response = make_response(asset.content)
    inline = asset.mime_type in INLINE_TYPES
    response.headers["Content-Type"] = asset.mime_type if inline else "application/octet-stream"
    if not inline:
        response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.set_etag(digest)
    return response.make_conditional(request)

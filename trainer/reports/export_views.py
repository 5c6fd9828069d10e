"""Export downloads: streamed while small, a background job with a progress page when big."""

from flask import (
    Response,
    abort,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from trainer.downloads import content_disposition
from trainer.errors import DomainError
from trainer.permissions import Role, require_role
from trainer.reports.export_jobs import (
    download_name,
    file_content,
    is_ready,
    needs_job,
    start_export,
    visible_job,
)
from trainer.reports.exports import DATASETS, FORMATS, stream_dataset
from trainer.reports.views import bp
from trainer.unit_of_work import unit_of_work

MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
STAFF = (Role.TRAINER, Role.ADMIN)


def _wanted(dataset: str, fmt: str) -> tuple[int | None, bool]:
    if dataset not in DATASETS or fmt not in FORMATS:
        abort(404)
    return request.values.get("cohort", type=int), request.values.get("raw") in ("1", "true")


def _filename(dataset: str, fmt: str, cohort_id: int | None, raw: bool) -> str:
    suffix = f"-cohort{cohort_id}" if cohort_id else ""
    return f"{dataset}{suffix}{'-raw' if raw else ''}.{fmt}"


@bp.get("/export/<dataset>.<fmt>")
@require_role(*STAFF)
def export(dataset: str, fmt: str):
    """Stream the file; above EXPORT_INLINE_ROWS rows offer a background job instead."""
    cohort_id, raw = _wanted(dataset, fmt)
    if needs_job(dataset, cohort_id):
        return render_template(
            "reports/export_start.html",
            dataset=dataset,
            title=DATASETS[dataset].title,
            fmt=fmt,
            cohort_id=cohort_id,
            raw=raw,
        )
    body = stream_with_context(stream_dataset(dataset, fmt, cohort_id=cohort_id, raw=raw))
    return Response(
        body,
        mimetype=MIME[fmt],
        headers={
            "Content-Disposition": content_disposition(_filename(dataset, fmt, cohort_id, raw))
        },
    )


@bp.post("/export/<dataset>.<fmt>")
@require_role(*STAFF)
def export_job_start(dataset: str, fmt: str):
    cohort_id, raw = _wanted(dataset, fmt)
    with unit_of_work(success=_("The export is being prepared.")):
        job = start_export(current_user, dataset, fmt, cohort_id, raw, str(get_locale()))
    return redirect(url_for(".export_job", job_id=job.id))


@bp.get("/exports/<int:job_id>")
@require_role(*STAFF)
def export_job(job_id: int):
    try:
        job = visible_job(current_user, job_id)
    except DomainError:
        abort(404)
    return render_template(
        "reports/export_job.html",
        job=job,
        title=DATASETS[job.dataset].title,
        ready=is_ready(job),
    )


@bp.get("/exports/<int:job_id>/download")
@require_role(*STAFF)
def export_job_download(job_id: int):
    try:
        job = visible_job(current_user, job_id)
    except DomainError:
        abort(404)
    content = file_content(job)
    if content is None:
        abort(404)
    response = Response(content, mimetype=MIME[job.fmt])
    response.headers["Content-Disposition"] = content_disposition(download_name(job))
    return response

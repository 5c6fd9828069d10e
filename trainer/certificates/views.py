"""Public verification, the trainee's download, the trainer's register, revocation, bulk issue."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer import clock
from trainer.certificates import queries
from trainer.certificates.bulk import enqueue_for_cohort
from trainer.certificates.documents import CertificateFileError, download_name, read_pdf
from trainer.certificates.forms import BulkIssueForm, RegisterFilterForm, RevokeForm, VerifyForm
from trainer.certificates.models import Certificate, CertificateBatch
from trainer.certificates.services import (
    certificate_status,
    revoke_certificate,
    verify,
)
from trainer.downloads import content_disposition
from trainer.extensions import db, limiter
from trainer.permissions import Role, any_user, public, require_role
from trainer.training.models import Cohort
from trainer.unit_of_work import unit_of_work

bp = Blueprint("certificates", __name__)
STAFF = (Role.TRAINER, Role.ADMIN)


def verify_rate_limit() -> str:
    return current_app.config.get("CERTIFICATE_VERIFY_RATE_LIMIT", "30 per minute")


def pdf_response(certificate: Certificate):
    try:
        data = read_pdf(certificate)
    except CertificateFileError:
        current_app.logger.exception("certificate file problem for %s", certificate.serial)
        abort(500)
    response = current_app.response_class(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(download_name(certificate))
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---- public ----------------------------------------------------------------------------


@bp.get("/verify/<code>")
@public
@limiter.limit(verify_rate_limit)
def verify_code(code: str):
    result = verify(code)
    return render_template(
        "certificates/verify.html", result=result, form=VerifyForm(formdata=None)
    )


@bp.get("/verify")
@public
@limiter.limit(verify_rate_limit)
def verify_form():
    # A first visit (nothing asked yet) shows the empty form, not "this field is required".
    asked = bool(request.args)
    form = VerifyForm(request.args if asked else None)
    result = verify(form.code.data, serial=form.serial.data) if asked and form.validate() else None
    return render_template("certificates/verify.html", result=result, form=form)


# ---- holders and staff -----------------------------------------------------------------


@bp.get("/certificates/<int:certificate_id>/pdf")
@any_user
def download(certificate_id: int):
    """The holder downloads their own certificate; trainers and admins any. Others: 404."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if certificate.user_id != current_user.id and not current_user.has_any_role(*STAFF):
        abort(404)
    return pdf_response(certificate)


@bp.get("/certificates")
@require_role(*STAFF)
def register():
    form = RegisterFilterForm(request.args)
    form.cohort_id.choices = [("", _("All cohorts"))] + [
        (c.id, c.name)
        for c in db.session.scalars(select(Cohort).order_by(Cohort.start_date.desc()))
    ]
    filters = filters_from(form)
    page = db.paginate(queries.register_query(filters), per_page=50, error_out=False)
    bulk_form = BulkIssueForm()
    bulk_form.cohort_id.choices = [c for c in form.cohort_id.choices if c[0]]
    return render_template(
        "certificates/register.html",
        form=form,
        page=page,
        bulk_form=bulk_form,
        today=clock.today(),
        status_of=certificate_status,
        args=request.args.to_dict(),
    )


def filters_from(form: RegisterFilterForm) -> queries.RegisterFilter:
    status = form.status.data if form.status.data in queries.STATUSES else ""
    try:
        cohort_id = int(request.args.get("cohort_id") or 0) or None
    except ValueError:
        cohort_id = None
    return queries.RegisterFilter(q=(form.q.data or "").strip(), status=status, cohort_id=cohort_id)


@bp.get("/certificates/export.<fmt>")
@require_role(*STAFF)
def export(fmt: str):
    filters = filters_from(RegisterFilterForm(request.args))
    stamp = clock.today().isoformat()
    raw = request.args.get("raw") in ("1", "true")
    if fmt == "csv":
        data, mimetype = queries.export_csv(filters, raw), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        data = queries.export_xlsx(filters, raw)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    response = current_app.response_class(stream_with_context(data), mimetype=mimetype)
    name = f"certificates-{stamp}{'-raw' if raw else ''}.{fmt}"
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


@bp.get("/certificates/<int:certificate_id>")
@require_role(*STAFF)
def detail(certificate_id: int):
    certificate = db.get_or_404(Certificate, certificate_id)
    return render_template(
        "certificates/detail.html",
        cert=certificate,
        form=RevokeForm(),
        status=certificate_status(certificate, clock.today()),
    )


@bp.post("/certificates/<int:certificate_id>/revoke")
@require_role(*STAFF)
def revoke(certificate_id: int):
    certificate = db.get_or_404(Certificate, certificate_id)
    form = RevokeForm()
    if form.validate_on_submit():
        revoked = _("Certificate %(serial)s revoked.", serial=certificate.serial)
        with unit_of_work(success=revoked):
            revoke_certificate(certificate, current_user, form.reason.data)
    else:
        flash(_("Give the reason for revoking the certificate."), "danger")
    return redirect(url_for(".detail", certificate_id=certificate.id))


@bp.post("/certificates/batches")
@require_role(*STAFF)
def bulk_issue():
    form = BulkIssueForm()
    form.cohort_id.choices = [(c.id, c.name) for c in db.session.scalars(select(Cohort))]
    if not form.validate_on_submit():
        flash(_("Choose a cohort."), "danger")
        return redirect(url_for(".register"))
    cohort = db.get_or_404(Cohort, form.cohort_id.data)
    with unit_of_work() as work:
        batch = enqueue_for_cohort(cohort, current_user)
    if work.failed:
        return redirect(url_for(".register"))
    return redirect(url_for(".batch", batch_id=batch.id))


@bp.get("/certificates/batches/<int:batch_id>")
@require_role(*STAFF)
def batch(batch_id: int):
    batch = db.get_or_404(CertificateBatch, batch_id)
    cohort = db.session.get(Cohort, batch.cohort_id)
    return render_template("certificates/batch.html", batch=batch, cohort=cohort)


@bp.get("/certificates/batches/<int:batch_id>/progress")
@require_role(*STAFF)
def batch_progress(batch_id: int):
    batch = db.get_or_404(CertificateBatch, batch_id)
    return jsonify(
        total=batch.total,
        done=batch.done,
        failed=batch.failed,
        finished=batch.finished,
        errors=batch.errors[-5:],
    )

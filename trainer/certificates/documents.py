"""The certificate as a file: HTML from the template, QR code, PDF stored with its SHA-256.

The PDF is kept by `trainer.storage` (the database, or S3) under `certificates/<pdf_path>`,
so every app instance serves what any of them issued."""

import hashlib
import logging
from pathlib import Path

import segno
from flask import current_app
from markupsafe import Markup
from sqlalchemy import update

from trainer import storage
from trainer.certificates import fonts
from trainer.certificates.models import Certificate
from trainer.certificates.pdf import create_pdf
from trainer.db import write_intent
from trainer.extensions import db

log = logging.getLogger(__name__)

DEFAULT_ISSUER = "营业厅窗口服务培训中心"


class CertificateFileError(RuntimeError):
    """The stored PDF is missing or does not match its recorded hash."""


def font_dir() -> Path:
    return Path(current_app.config.get("CERTIFICATE_FONT_DIR") or fonts.FONT_DIR)


def verification_url(code: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    return f"{base}/verify/{code}"


def qr_svg(url: str) -> Markup:
    """The QR code as inline SVG (segno writes only a path, no scripts or external refs)."""
    return Markup(segno.make(url, error="m").svg_inline(scale=4, border=0, omitsize=True))


def certificate_html(certificate: Certificate) -> str:
    url = verification_url(certificate.verification_code)
    # The Jinja environment directly: no request-bound context processors (nav, CSRF) run,
    # so CLI commands and queue workers render exactly what the web does.
    template = current_app.jinja_env.get_template("certificates/certificate.html")
    return template.render(
        cert=certificate,
        qr_svg=qr_svg(url),
        verify_url=url,
        issuer=current_app.config.get("CERTIFICATE_ISSUER", DEFAULT_ISSUER),
    )


def pdf_key(certificate: Certificate) -> str:
    """What the certificate records as `pdf_path`: `<year>/<serial>.pdf`."""
    return f"{certificate.year}/{certificate.serial}.pdf"


def storage_key(pdf_path: str) -> str:
    return f"certificates/{pdf_path}"


def ensure_pdf(certificate_id: int) -> bool:
    """Render and store the certificate's PDF unless it is stored already; True when stored.

    Runs as a job or after the issuing commit, never inside another transaction: the row is
    read in a short read transaction that ends before rendering, so no lock (and certainly not
    the serial number's) is held while WeasyPrint works, and the result is recorded in a short
    write transaction of its own. A failure (disk full, folder not writable, broken font) is
    logged and recorded on the certificate for trainers to see; the issue itself stands, the
    download renders the PDF on the fly meanwhile, and the `certificates.issue_due` job tries
    again until it is stored. A recorded file that has gone missing from the store (a lost
    object, a restore without files) is rendered and stored afresh, with its new SHA-256.
    """
    with write_intent(False):
        certificate = db.session.get(Certificate, certificate_id)
        if certificate is None:
            db.session.rollback()
            return False
        if certificate.pdf_path and storage.exists(storage_key(certificate.pdf_path)):
            db.session.rollback()
            return True
        key, serial, html = pdf_key(certificate), certificate.serial, certificate_html(certificate)
        db.session.rollback()  # end the read before the slow part
    try:
        data = create_pdf(html, font_dir())
        # The database store writes in this transaction: the file and the row that names it
        # commit together. S3 writes the object first (before any statement takes a lock).
        _record_pdf_outcome(
            certificate_id,
            store=(storage_key(key), data),
            pdf_path=key,
            pdf_sha256=hashlib.sha256(data).hexdigest(),
            pdf_size=len(data),
            pdf_error=None,
        )
    except Exception as exc:  # whatever broke, the pass and the certificate row stand
        db.session.rollback()
        log.exception("could not produce the PDF of certificate %s; will retry", serial)
        _record_pdf_outcome(certificate_id, pdf_error=f"{type(exc).__name__}: {exc}"[:500])
        return False
    return True


def _record_pdf_outcome(certificate_id: int, store: tuple[str, bytes] | None = None, **values):
    with write_intent():
        if store is not None:
            storage.put(*store)
        db.session.execute(
            update(Certificate).where(Certificate.id == certificate_id).values(**values)
        )
        db.session.commit()


def render_pdf(certificate: Certificate) -> bytes:
    return create_pdf(certificate_html(certificate), font_dir())


def read_pdf(certificate: Certificate) -> bytes:
    """The certificate as PDF bytes, for a download (reads only: a GET never writes).

    A stored file is checked against its recorded hash, so a download is the issued file; a
    file that exists but fails its hash is never silently replaced: that is tampering or
    corruption, and raises CertificateFileError. A certificate whose file is not stored yet
    (rendering failed or is still queued) or has gone missing from the store is rendered on
    the fly; the `certificates.issue_due` job stores it.
    """
    if not certificate.pdf_path:
        return render_pdf(certificate)
    try:
        data = storage.get(storage_key(certificate.pdf_path))
    except FileNotFoundError:
        log.warning("%s is missing from the store; rendered afresh", certificate.pdf_path)
        return render_pdf(certificate)
    if hashlib.sha256(data).hexdigest() != certificate.pdf_sha256:
        raise CertificateFileError(f"{certificate.pdf_path} does not match its recorded SHA-256")
    return data


def download_name(certificate: Certificate) -> str:
    return f"{certificate.serial}.pdf"

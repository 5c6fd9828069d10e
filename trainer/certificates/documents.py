"""The certificate as a file: HTML from the template, QR code, PDF stored with its SHA-256."""

import hashlib
import logging
import os
from pathlib import Path

import segno
from flask import current_app
from markupsafe import Markup

from trainer.audit.services import record
from trainer.certificates import fonts
from trainer.certificates.models import Certificate
from trainer.certificates.pdf import create_pdf
from trainer.extensions import db

log = logging.getLogger(__name__)

DEFAULT_ISSUER = "营业厅窗口服务培训中心"


class CertificateFileError(RuntimeError):
    """The stored PDF is missing or does not match its recorded hash."""


def certificate_dir() -> Path:
    """CERTIFICATE_DIR (config or TRAINER_CERTIFICATE_DIR), else <instance>/certificates."""
    config = current_app.config
    configured = config.get("CERTIFICATE_DIR") or os.environ.get("TRAINER_CERTIFICATE_DIR")
    if configured:
        return Path(configured)
    base = config.get("INSTANCE_FILES") or current_app.instance_path
    return Path(base) / "certificates"


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


def render_pdf(certificate: Certificate) -> bytes:
    return create_pdf(certificate_html(certificate), font_dir())


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def store_pdf(certificate: Certificate, *, quiet: bool = False) -> bytes | None:
    """Render and store the PDF, recording its path, size and SHA-256.

    With `quiet`, a rendering failure is logged and the file left for `read_pdf` to build on
    first download: a broken font must not undo the exam pass that triggered issuance.
    """
    try:
        data = render_pdf(certificate)
    except Exception:
        if not quiet:
            raise
        log.exception("could not render certificate %s; will retry on download", certificate.serial)
        return None
    relative = f"{certificate.year}/{certificate.serial}.pdf"
    write_atomically(certificate_dir() / relative, data)
    certificate.pdf_path = relative
    certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()
    certificate.pdf_size = len(data)
    db.session.flush()
    return data


def read_pdf(certificate: Certificate) -> bytes:
    """The stored bytes, checked against the recorded hash so a download is the issued file.

    A certificate whose file was never written (rendering failed at issue) is rendered now.
    A file that exists but fails its hash is never silently replaced: that is tampering or
    corruption, and raises CertificateFileError.
    """
    if not certificate.pdf_path:
        data = store_pdf(certificate)
        record(None, "certificate.pdf_built", certificate, after={"sha256": certificate.pdf_sha256})
        return data
    path = certificate_dir() / certificate.pdf_path
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CertificateFileError(f"{path} is missing") from exc
    if hashlib.sha256(data).hexdigest() != certificate.pdf_sha256:
        raise CertificateFileError(f"{path} does not match its recorded SHA-256")
    return data


def download_name(certificate: Certificate) -> str:
    return f"{certificate.serial}.pdf"

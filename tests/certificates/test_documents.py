"""The PDF: text, embedded fonts, the QR code, stored bytes and the restrictive fetcher."""

import hashlib
import re
import subprocess
from pathlib import Path

import pytest

from trainer import storage
from trainer.certificates.documents import (
    CertificateFileError,
    read_pdf,
    storage_key,
    verification_url,
)
from trainer.certificates.pdf import create_pdf


@pytest.fixture
def pdf_file(certificate, tmp_path) -> Path:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(read_pdf(certificate))
    return path


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def test_pdf_contains_the_holder_serial_and_code(certificate, pdf_file):
    text = run("pdftotext", "-layout", str(pdf_file), "-")
    assert "张伟明" in text
    assert "上岗资格证书" in "".join(text.split())  # the title is letter-spaced
    assert certificate.serial in text
    assert certificate.verification_code in text


def test_pdf_is_one_landscape_a4_page(pdf_file):
    info = run("pdfinfo", str(pdf_file))
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    assert re.search(r"^Page size:\s+841.89 x 595.276 pts \(A4\)$", info, re.MULTILINE)


def test_pdf_embeds_every_font(pdf_file):
    lines = run("pdffonts", str(pdf_file)).splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        emb, sub = line.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), line


def test_qr_code_decodes_to_the_verification_url(certificate, pdf_file, tmp_path):
    run("pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_file), str(tmp_path / "page"))
    decoded = run(
        "zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(tmp_path / "page.png")
    )
    assert decoded.strip() == verification_url(certificate.verification_code)
    assert decoded.strip().startswith("http://127.0.0.1:5000/verify/")


def test_stored_file_matches_its_recorded_hash(certificate):
    stored = storage.get(storage_key(certificate.pdf_path))
    assert hashlib.sha256(stored).hexdigest() == certificate.pdf_sha256
    assert read_pdf(certificate) == stored == read_pdf(certificate)


def test_tampered_file_is_refused_not_served(db, certificate):
    key = storage_key(certificate.pdf_path)
    storage.put(key, storage.get(key) + b"%tampered")
    db.session.commit()
    with pytest.raises(CertificateFileError):
        read_pdf(certificate)


def test_remote_resources_are_never_fetched(app):
    # An http image in the HTML must not be fetched: the PDF renders without it.
    pdf = create_pdf('<p>远程</p><img src="http://127.0.0.1:9/x.png">')
    assert pdf.startswith(b"%PDF")


def test_without_the_subset_font_the_system_font_still_renders_chinese(tmp_path):
    pdf = create_pdf("<p>上岗资格证书 张伟明</p>", font_dir=tmp_path / "no-fonts-here")
    path = tmp_path / "fallback.pdf"
    path.write_bytes(pdf)
    assert "张伟明" in run("pdftotext", str(path), "-")
    # the font is built by `make install`, never at a request: nothing appears in its folder
    assert not (tmp_path / "no-fonts-here").exists()
    assert "Noto" in run("pdffonts", str(path))

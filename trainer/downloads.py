"""The Content-Disposition of every download: RFC 6266 with an RFC 5987 `filename*`.

Browsers take the UTF-8 `filename*` (a bank named 测试题库 downloads as 测试题库.yaml); the
plain `filename` is an ASCII fallback for old clients. Raw non-ASCII in a header is not valid
HTTP (a WSGI server refuses it), and quoting every byte also keeps CR, LF and quotes out.
"""

import re
import unicodedata
from urllib.parse import quote

UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_fallback(filename: str) -> str:
    """`filename` reduced to safe ASCII, keeping its extension: 测试题库.yaml → download.yaml."""
    text = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    text = UNSAFE_ASCII.sub("_", text).strip("_")
    stem, dot, suffix = text.partition(".")
    stem = stem.strip("_") or "download"
    return stem + dot + suffix if dot else stem


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    encoded = quote(filename, safe="")
    return f"{disposition}; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{encoded}"

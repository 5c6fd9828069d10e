"""Certificate PDFs with WeasyPrint: `create_pdf(html) -> bytes`, Indico-style.

One FontConfiguration and one parsed stylesheet serve every render (parsing the CSS and
loading the @font-face fonts is most of the fixed cost), and the URL fetcher serves only
local assets, so a name typed as `<img src=http://…>` can never make the server fetch.
"""

import logging
import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from trainer.certificates import fonts

log = logging.getLogger(__name__)
TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "templates" / "certificates"
STYLESHEET = TEMPLATE_DIR / "certificate.css"
# Glyphs outside the subset fall back to the full system family, then to any CJK font.
FALLBACK_FAMILIES = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'


class LocalAssetFetcher(URLFetcher):
    """Serve file: URLs under the allowed directories; refuse everything else."""

    def __init__(self, allowed: tuple[Path, ...]):
        super().__init__(allowed_protocols=("file",))
        self.allowed = tuple(p.resolve() for p in allowed)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ValueError(f"certificate assets must be local files, not {url}")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed):
            raise ValueError(f"{path} is outside the certificate asset directories")
        return URLFetcherResponse(url, path.read_bytes())


def font_face_css(font_dir: Path) -> str:
    """@font-face rules for the install-time subset fonts, or nothing when they are missing."""
    rules = []
    for weight, css_weight in (("regular", 400),):
        path = fonts.font_path(weight, font_dir)
        if path.exists():
            rules.append(
                f'@font-face {{ font-family: "{fonts.FAMILY}"; font-weight: {css_weight};'
                f' src: url("{path.as_uri()}"); }}'
            )
    return "\n".join(rules)


class CertificateRenderer:
    """Holds the parsed stylesheet and font configuration; `render(html)` gives PDF bytes."""

    def __init__(self, font_dir: Path = fonts.FONT_DIR, stylesheet: Path = STYLESHEET):
        font_dir = font_dir.resolve()
        self.fetcher = LocalAssetFetcher((font_dir, stylesheet.parent))
        self.font_config = FontConfiguration()
        self.uses_subset_font = fonts.font_path("regular", font_dir).exists()
        if not self.uses_subset_font:
            log.warning(
                "certificate font missing in %s (run `make install`): using the system Noto CJK,"
                " ≈ 3× slower and ≈ 230 KB per PDF",
                font_dir,
            )
        families = f'"{fonts.FAMILY}", {FALLBACK_FAMILIES}'
        css_text = font_face_css(font_dir) + "\n" + stylesheet.read_text("utf-8")
        css_text = css_text.replace("var(--certificate-fonts)", families)
        self.stylesheet = CSS(
            string=css_text,
            base_url=stylesheet.parent.as_uri() + "/",
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )
        self.image_cache: dict = {}
        # Pango's font map is not thread-safe; the threaded dev server may render at once.
        self._lock = threading.Lock()

    def render(self, html: str) -> bytes:
        with self._lock:
            document = HTML(
                string=html, base_url=TEMPLATE_DIR.as_uri() + "/", url_fetcher=self.fetcher
            )
            return document.write_pdf(
                stylesheets=[self.stylesheet],
                font_config=self.font_config,
                cache=self.image_cache,
                pdf_identifier=b"certificate",
            )


@lru_cache(maxsize=4)
def renderer_for(font_dir: str) -> CertificateRenderer:
    return CertificateRenderer(Path(font_dir))


def create_pdf(html: str, font_dir: Path = fonts.FONT_DIR) -> bytes:
    """Render certificate HTML to PDF bytes, reusing the renderer for `font_dir`."""
    return renderer_for(str(font_dir)).render(html)

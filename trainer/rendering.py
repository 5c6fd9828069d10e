"""Markdown to safe HTML, for content written by trainers and shipped in the library."""

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "ins",
    "mark",
    "small",
    "sub",
    "sup",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "img",
    "span",
    "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "span": {"class"},
    "div": {"class"},
    "code": {"class"},
}


def render_markdown(text: str) -> Markup:
    """Render Markdown and strip anything that could run script (tags, handlers, javascript:)."""
    html = md.markdown(text or "", extensions=["tables", "fenced_code", "sane_lists"])
    return Markup(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


def sanitize_html(html: str) -> Markup:
    """For content that arrives as HTML (GIFT [html] questions): same allow-list."""
    return Markup(
        nh3.clean(
            html or "",
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )

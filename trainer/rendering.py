"""Markdown to safe HTML, for content written by trainers and shipped in the library."""

import html
import re
from urllib.parse import urlsplit

import markdown as md
import nh3
from markupsafe import Markup, escape

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
# No `class` and no `style`: with them an [html] question could lay a Bootstrap
# `position-fixed` overlay over the page (a phishing "please log in again" box).
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
LINK = re.compile(r'<a href="([^"]*)"[^>]*>.*?</a>', re.DOTALL)


def link_domain(href: str) -> str | None:
    """The host an off-site link goes to, as ASCII (an IDN look-alike shows as xn--…)."""
    parts = urlsplit(html.unescape(href))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        return parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        return parts.hostname


def show_link_domains(cleaned: str) -> str:
    """After each off-site link, its real domain in plain sight: link text cannot pretend."""

    def add_domain(match: re.Match) -> str:
        domain = link_domain(match.group(1))
        if domain is None:
            return match.group(0)
        return f'{match.group(0)} <span class="link-domain">({escape(domain)})</span>'

    return LINK.sub(add_domain, cleaned)


def clean(html_text: str) -> Markup:
    """The allow-list: no scripts, handlers, classes or styles; links get
    rel="noopener noreferrer" and their domain shown."""
    cleaned = nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(show_link_domains(cleaned))


def render_markdown(text: str) -> Markup:
    """Render Markdown and strip anything that could run script (tags, handlers, javascript:)."""
    return clean(md.markdown(text or "", extensions=["tables", "fenced_code", "sane_lists"]))


def sanitize_html(html_text: str) -> Markup:
    """For content that arrives as HTML (GIFT [html] questions): same allow-list."""
    return clean(html_text or "")

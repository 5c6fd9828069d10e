"""Question texts as safe HTML in their own format, with Moodle's images resolved.

Every text of a question has a format (plain, markdown, html, moodle); an answer's or a
feedback's own format (`format`, `feedback_format`…) overrides the question's. Moodle's
auto-format (`moodle`, what a GIFT text without a tag is in) shows as plain text with its
line breaks, like `plain`; only `html` and `markdown` make markup. `@@PLUGINFILE@@/name`
becomes the URL of the version's file, served only to those who may see the question
(asset_views).
"""

import re
from collections.abc import Callable
from urllib.parse import unquote

import nh3
from flask import url_for
from markupsafe import Markup, escape

from trainer.quizzes.assets import PLUGINFILE
from trainer.rendering import render_markdown, sanitize_html

Resolver = Callable[[str], str | None]
BLANK_TOKEN = re.compile("\ue000(\\d+)\ue001")
CLOZE_BLANK = re.compile(r"\{(\d+)\}")
PLAIN = ("plain", "moodle")


def asset_resolver(version) -> Resolver:
    files = (version.payload or {}).get("files") or {}

    def resolve(name: str) -> str | None:
        if name not in files:
            return None
        return url_for("quiz_assets.file", version_id=version.id, name=name)

    return resolve


def with_files(text: str, resolve: Resolver | None) -> str:
    if resolve is None or "@@PLUGINFILE@@" not in text:
        return text
    return PLUGINFILE.sub(lambda m: resolve(unquote(m.group(1))) or m.group(0), text)


def render(text: str, text_format: str, resolve: Resolver | None = None) -> Markup:
    """A block of text (question text, feedback) as safe HTML."""
    text = with_files(text or "", resolve)
    if text_format == "markdown":
        return render_markdown(text)
    if text_format == "html":
        return sanitize_html(text)
    return (
        Markup("<p>")
        + Markup("<br>").join(escape(line) for line in text.split("\n"))
        + Markup("</p>")
    )


def render_inline(text: str, text_format: str, resolve: Resolver | None = None) -> Markup:
    """A short text inside a label or a table cell: no surrounding paragraph."""
    if text_format in PLAIN:
        return Markup("<br>").join(escape(line) for line in (text or "").split("\n"))
    html = str(render(text, text_format, resolve)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def as_plain(text: str, text_format: str) -> str | Markup:
    """A formatted text reduced to its words (for one-line summaries such as answers)."""
    if text_format in PLAIN or not text:
        return text
    return Markup(nh3.clean(text, tags=set()))


def cloze_parts(text: str, text_format: str, resolve: Resolver | None = None):
    """Cloze text split around its blanks: [(html, None), (Markup(''), 0), …].

    The whole text is rendered first, with each blank as a placeholder character pair, so a
    blank inside a paragraph or a table cell stays there; the pieces are then cut apart.
    """
    marked = CLOZE_BLANK.sub(lambda m: f"\ue000{m.group(1)}\ue001", text)
    html = str(render(marked, text_format, resolve))
    if text_format in PLAIN:
        html = html.removeprefix("<p>").removesuffix("</p>")
    parts: list[tuple[Markup, int | None]] = []
    for n, piece in enumerate(BLANK_TOKEN.split(html)):
        if n % 2:
            parts.append((Markup(""), int(piece) - 1))
        elif piece:
            parts.append((Markup(piece), None))
    return parts


def format_view(view: dict, text_format: str, resolve: Resolver | None) -> dict:
    """Choices, matching items and ordering items of a public view as safe HTML."""
    for key in ("choices", "lefts", "items"):
        for entry in view.get(key) or []:
            own = entry.pop("format", None)
            entry["text"] = render_inline(entry["text"], own or text_format, resolve)
    return view


def feedback_formats(payload, text_format: str) -> dict[str, str]:
    """Each feedback text of a payload → the format it is written in."""
    found: dict[str, str] = {}
    if isinstance(payload, dict):
        for side in ("feedback_true", "feedback_false"):
            if payload.get(side):
                found[payload[side]] = payload.get(side + "_format") or text_format
        if isinstance(payload.get("feedback"), str) and payload["feedback"]:
            found[payload["feedback"]] = payload.get("feedback_format") or text_format
        for value in payload.values():
            if isinstance(value, list | dict):
                found.update(feedback_formats(value, text_format))
    elif isinstance(payload, list):
        for value in payload:
            found.update(feedback_formats(value, text_format))
    return found

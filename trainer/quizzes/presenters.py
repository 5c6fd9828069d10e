"""What templates need to show a question: safe HTML text, public choices, review details."""

import re

from flask import current_app, url_for
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

from trainer.quizzes.models import Response
from trainer.quizzes.question_types import get_question_type
from trainer.rendering import render_markdown, sanitize_html


def question_html(text: str, text_format: str) -> Markup:
    if text_format == "markdown":
        return render_markdown(text)
    if text_format in ("html", "moodle"):
        return sanitize_html(text)
    return Markup("<p>") + Markup("<br>").join(escape(line) for line in text.split("\n")) + Markup("</p>")


BLANK_SPLIT = re.compile(r"\{(\d+)\}")
# Where a `link` ("open_account.verify_id") can point; the first endpoint that exists wins.
LINK_ENDPOINTS = (("content.procedure", "key"), ("content.procedure_detail", "key"))


def cloze_parts(text: str) -> list[tuple[Markup, int | None]]:
    """Cloze text split around its blanks: [(html, None), (Markup(''), 0), …]."""
    pieces = BLANK_SPLIT.split(text)
    parts: list[tuple[Markup, int | None]] = []
    for n, piece in enumerate(pieces):
        if n % 2:
            parts.append((Markup(""), int(piece) - 1))
        elif piece:
            parts.append((Markup("<br>").join(escape(line) for line in piece.split("\n")), None))
    return parts


def link_url(link: str | None) -> str | None:
    if not link:
        return None
    head, _, step = link.partition(".")
    for endpoint, argument in LINK_ENDPOINTS:
        if endpoint in current_app.view_functions:
            try:
                return url_for(endpoint, **{argument: head}, _anchor=step or None)
            except BuildError:
                continue
    return None


def for_attempt(response: Response) -> dict:
    """The only view of a question that reaches the browser before submission."""
    version = response.version
    kind = get_question_type(version.type)
    return {
        "cloze": cloze_parts(version.text) if version.type == "cloze" else None,
        "slot": response.slot,
        "type": version.type,
        "points": version.points,
        "html": question_html(version.text, version.text_format),
        "view": kind.public_view(version.payload, response.layout),
        "values": kind.form_values(version.payload, response.layout, response.value),
    }


def for_review(response: Response, show_answers: bool) -> dict:
    version = response.version
    kind = get_question_type(version.type)
    item = for_attempt(response)
    item.update(
        your_answer=kind.describe_answer(version.payload, response.value),
        score=response.score, fraction=response.fraction, needs_grading=response.needs_grading,
        grader_comment=response.grader_comment,
    )
    if show_answers:
        item.update(correct=kind.describe_correct(version.payload), feedback=response.feedback or [],
                    general_feedback=version.general_feedback, link=version.link,
                    link_url=link_url(version.link))
    return item

"""What templates need to show a question: safe HTML text, public choices, review details."""

import re

from flask import current_app, url_for
from markupsafe import Markup, escape
from sqlalchemy import select

from trainer.content.models import ContentModule, ModulePage, Procedure, ProcedureStep
from trainer.extensions import db
from trainer.quizzes.models import Response
from trainer.quizzes.question_types import get_question_type
from trainer.rendering import render_markdown, sanitize_html


def question_html(text: str, text_format: str) -> Markup:
    if text_format == "markdown":
        return render_markdown(text)
    if text_format in ("html", "moodle"):
        return sanitize_html(text)
    return (
        Markup("<p>")
        + Markup("<br>").join(escape(line) for line in text.split("\n"))
        + Markup("</p>")
    )


BLANK_SPLIT = re.compile(r"\{(\d+)\}")


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


def resolve_links(links) -> dict[str, tuple[str, str | None]]:
    """Label and URL of each `link` ("open_account.verify_identity" is a procedure step,
    "norms.discipline" a module page), looked up in two queries for a whole page."""
    links = {link for link in links if link}
    resolved = {link: (link, None) for link in links}
    if not links or "content.procedure" not in current_app.view_functions:
        return resolved
    heads = {link.partition(".")[0] for link in links}
    steps = db.session.execute(
        select(Procedure.key, Procedure.title, ProcedureStep.key, ProcedureStep.title)
        .join(ProcedureStep.procedure)
        .where(Procedure.key.in_(heads))
    )
    for proc_key, proc_title, step_key, step_title in steps:
        link = f"{proc_key}.{step_key}"
        if link in resolved:
            url = url_for("content.procedure", key=proc_key, _anchor=f"step-{step_key}")
            resolved[link] = (f"{proc_title} › {step_title}", url)
    pages = db.session.execute(
        select(ContentModule.key, ContentModule.title, ModulePage.key, ModulePage.title)
        .join(ModulePage.module)
        .where(ContentModule.key.in_(heads))
    )
    for module_key, module_title, page_key, page_title in pages:
        link = f"{module_key}.{page_key}"
        if link in resolved and resolved[link][1] is None:
            resolved[link] = (
                f"{module_title} › {page_title}",
                url_for("content.module", key=module_key, page=page_key),
            )
    return resolved


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


def for_review(response: Response, show_answers: bool, links: dict | None = None) -> dict:
    version = response.version
    kind = get_question_type(version.type)
    item = for_attempt(response)
    item.update(
        your_answer=kind.describe_answer(version.payload, response.value),
        score=response.score,
        fraction=response.fraction,
        needs_grading=response.needs_grading,
        grader_comment=response.grader_comment,
    )
    if show_answers:
        item.update(
            correct=kind.describe_correct(version.payload),
            feedback=response.feedback or [],
            general_feedback=version.general_feedback,
            link=version.link,
            link_label=(links or {}).get(version.link, (version.link, None))[0],
            link_url=(links or {}).get(version.link, (version.link, None))[1],
        )
    return item

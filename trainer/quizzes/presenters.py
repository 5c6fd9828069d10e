"""What templates need to show a question: safe HTML text, public choices, review details."""

from flask import current_app, url_for
from markupsafe import Markup
from sqlalchemy import select

from trainer.content.models import ContentModule, ModulePage, Procedure, ProcedureStep
from trainer.extensions import db
from trainer.quizzes.models import Response
from trainer.quizzes.question_types import get_question_type
from trainer.quizzes.review import ReviewShows
from trainer.quizzes.rich_text import (
    as_plain,
    asset_resolver,
    cloze_parts,
    feedback_formats,
    format_view,
    render,
)


def question_html(text: str, text_format: str) -> Markup:
    """A question text as the attempt page shows it (without the version's files)."""
    return render(text, text_format)


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
    fmt, resolve = version.text_format, asset_resolver(version)
    cloze = version.type == "cloze"
    return {
        "cloze": cloze_parts(version.text, fmt, resolve) if cloze else None,
        "slot": response.slot,
        "type": version.type,
        "points": version.points,
        "html": render(version.text, fmt, resolve),
        "view": format_view(kind.public_view(version.payload, response.layout), fmt, resolve),
        "values": kind.form_values(version.payload, response.layout, response.value),
    }


def for_review(response: Response, shows: ReviewShows, links: dict | None = None) -> dict:
    """A finished question as the review policy allows: marks, feedback and the right answer
    are left out of the dict (not just hidden by the template) unless `shows` opens them."""
    version = response.version
    kind = get_question_type(version.type)
    item = for_attempt(response)
    fmt, resolve = version.text_format, asset_resolver(version)
    item.update(
        your_answer=as_plain(kind.describe_answer(version.payload, response.value), fmt),
        needs_grading=response.needs_grading,
        score=response.score if shows.marks else None,
        fraction=response.fraction if shows.marks else None,
        correct=as_plain(kind.describe_correct(version.payload), fmt) if shows.answers else None,
        feedback=[],
        general_feedback=None,
        grader_comment=None,
        link=None,
    )
    if shows.feedback:
        formats = feedback_formats(version.payload, fmt)
        label, url = (links or {}).get(version.link, (version.link, None))
        item.update(
            feedback=[
                render(text, formats.get(text, fmt), resolve) for text in response.feedback or []
            ],
            general_feedback=version.general_feedback
            and render(
                version.general_feedback,
                version.payload.get("general_feedback_format") or fmt,
                resolve,
            ),
            grader_comment=response.grader_comment,
            link=version.link,
            link_label=label,
            link_url=url,
        )
    return item

"""Turn a module page body into renderable parts: sanitised Markdown and embedded content.

All embedded procedures, steps and phrases of a page are loaded in at most three queries.
"""

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainer.content.embeds import ALL_PHRASES, Embed, split_body
from trainer.content.models import ModulePage, Procedure, ProgrammeModule
from trainer.extensions import db
from trainer.phrases.models import ForbiddenPhrase
from trainer.rendering import render_markdown


@dataclass(frozen=True)
class Part:
    kind: str  # html | procedure | script | phrases | missing
    html: Markup | None = None
    item: object = None


def render_body(body: str) -> list[Part]:
    pieces = split_body(body)
    embeds = [p for p in pieces if isinstance(p, Embed)]
    procedure_keys = {e.ref.split(".", 1)[0] for e in embeds if e.kind in ("procedure", "script")}
    procedures = {}
    if procedure_keys:
        procedures = {
            p.key: p
            for p in db.session.scalars(
                select(Procedure)
                .where(Procedure.key.in_(procedure_keys))
                .options(selectinload(Procedure.steps))
            )
        }
    phrases: list[ForbiddenPhrase] = []
    if any(e.kind == "phrases" for e in embeds):
        phrases = list(
            db.session.scalars(
                select(ForbiddenPhrase).order_by(ForbiddenPhrase.position, ForbiddenPhrase.id)
            )
        )
    parts = []
    for piece in pieces:
        if isinstance(piece, str):
            parts.append(Part("html", render_markdown(piece)))
        elif piece.kind == "procedure" and piece.ref in procedures:
            parts.append(Part("procedure", item=procedures[piece.ref]))
        elif piece.kind == "script":
            procedure_key, _, step_key = piece.ref.partition(".")
            procedure = procedures.get(procedure_key)
            step = (
                next((s for s in procedure.steps if s.key == step_key), None) if procedure else None
            )
            parts.append(Part("script", item=step) if step else Part("missing", item=piece.ref))
        elif piece.kind == "phrases":
            chosen = [p for p in phrases if piece.ref in (ALL_PHRASES, p.category)]
            parts.append(Part("phrases", item=chosen))
        else:
            parts.append(Part("missing", item=piece.ref))
    return parts


def procedures_in_teaching_order() -> list[Procedure]:
    """Procedures in the order the modules teach them (module, page, then place on the page);
    procedures no page embeds follow, by title. Keys are file names, not an order a clerk knows."""
    procedures = db.session.scalars(
        select(Procedure).order_by(Procedure.title).options(selectinload(Procedure.steps))
    ).all()
    place_in_programme = (
        select(func.min(ProgrammeModule.position))
        .where(ProgrammeModule.module_id == ModulePage.module_id)
        .scalar_subquery()
    )
    bodies = db.session.scalars(
        select(ModulePage.body).order_by(
            place_in_programme.is_(None),
            place_in_programme,
            ModulePage.module_id,
            ModulePage.position,
        )
    )
    taught: dict[str, int] = {}
    for body in bodies:
        for piece in split_body(body):
            if isinstance(piece, Embed) and piece.kind in ("procedure", "script"):
                taught.setdefault(piece.ref.split(".", 1)[0], len(taught))
    return sorted(procedures, key=lambda p: taught.get(p.key, len(taught)))

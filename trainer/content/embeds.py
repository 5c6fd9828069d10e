"""Embeds in module pages: `[[procedure:KEY]]`, `[[script:PROCEDURE.STEP]]`, `[[phrases:CATEGORY]]`.

A page body is Markdown with embeds on their own; the page view renders the Markdown pieces
and puts a procedure's step cards, one step's script card or a phrase table in between.
"""

import re
from dataclasses import dataclass

EMBED = re.compile(r"\[\[(procedure|script|phrases):([^\]\s]+)\]\]")
ALL_PHRASES = "*"


@dataclass(frozen=True)
class Embed:
    kind: str  # procedure | script | phrases
    ref: str
    line: int = 0  # 1-based line inside the body, for problems


def find_embeds(body: str) -> list[Embed]:
    return [
        Embed(m.group(1), m.group(2), body.count("\n", 0, m.start()) + 1)
        for m in EMBED.finditer(body or "")
    ]


def split_body(body: str) -> list[str | Embed]:
    """Markdown text and embeds in order."""
    parts: list[str | Embed] = []
    position = 0
    for match in EMBED.finditer(body or ""):
        if text := body[position : match.start()]:
            parts.append(text)
        parts.append(Embed(match.group(1), match.group(2)))
        position = match.end()
    if tail := (body or "")[position:]:
        parts.append(tail)
    return parts

"""Normalisation of typed answers: what a trainee types on a Chinese keyboard should match.

Full-width and half-width forms (ＡＢＣ１２３ vs ABC123), spaces of any width, zero-width
characters and letter case are not meaningful in a short answer, so they are ignored.
"""

import re
import unicodedata

_IGNORED = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def normalise_answer(text: str | None, case_sensitive: bool = False) -> str:
    text = _IGNORED.sub("", unicodedata.normalize("NFKC", text or ""))
    return text if case_sensitive else text.casefold()


def parse_number(text: str | None) -> float | None:
    """'３.５', ' 3,5 ' and '1e3' are numbers; anything else is None (not an exception)."""
    cleaned = normalise_answer(text).replace(",", ".")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None

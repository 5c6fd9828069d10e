"""GIFT answer blocks: the inside of one `{…}` → a partial native question.

Moodle's qformat_gift decides the type in this order, and so does this module: empty →
essay; `#…` → numerical (`~#feedback` after the answers is "any other answer"); any `~` →
choice (single when an `=` answer exists, else multiple); `=` answers that all hold `->`
→ matching; T/TRUE/F/FALSE → true/false; anything else → short answer, so a bare
`{Paris}` is a short answer. Answers, matching items and feedback may open with a text
format tag (`[html]`), stripped here and kept as `format` / `feedback_format` when it
differs from the question's own format.
"""

from flask_babel import lazy_gettext as _l

from trainer.quizzes.gift_lexer import (
    GiftSyntaxError,
    check_full_width,
    find_unescaped,
    rfind_unescaped,
    split_unescaped,
    unescape,
    with_format,
)

TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def parse_weight(token: str, offset: int) -> tuple[float | None, str]:
    """Strip a leading %n% weight; returns (fraction or None, rest)."""
    token = token.lstrip()
    if token.startswith("％"):
        raise GiftSyntaxError(
            offset,
            _l("full-width '％' in a weight: GIFT weights are written %(example)s"),
            example="%50%",
        )
    if not token.startswith("%"):
        return None, token
    end = token.find("%", 1)
    if end < 0:
        raise GiftSyntaxError(
            offset, _l("bad weight %(weight)r: missing closing '%%'"), weight=token[:12]
        )
    raw = token[1:end].strip()
    try:
        weight = float(raw)
    except ValueError:
        raise GiftSyntaxError(
            offset, _l("bad weight '%%%(raw)s%%': not a number"), raw=raw
        ) from None
    if not -100 <= weight <= 100:
        raise GiftSyntaxError(
            offset, _l("bad weight '%%%(raw)s%%': must be between -100 and 100"), raw=raw
        )
    return weight / 100, token[end + 1 :]


def split_feedback(token: str) -> tuple[str, str | None]:
    """(answer, raw feedback or None) at the first unescaped '#'."""
    at = find_unescaped(token, "#")
    if at < 0:
        return token, None
    return token[:at], token[at + 1 :]


def feedback_fields(raw: str | None, question_format: str) -> dict:
    """`feedback` (and `feedback_format` when it differs from the question's)."""
    if raw is None:
        return {"feedback": ""}
    text, fmt = with_format(raw, question_format)
    fields = {"feedback": text}
    if text and fmt != question_format:
        fields["feedback_format"] = fmt
    return fields


def parse_number(raw: str, offset: int) -> float:
    text, _fmt = with_format(raw, "plain")
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise GiftSyntaxError(
            offset, _l("bad number %(number)r in numerical answer"), number=text
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise GiftSyntaxError(offset, _l("bad number %(number)r in numerical answer"), number=text)
    return int(value) if value.is_integer() and "." not in text and "e" not in text else value


def parse_numeric_answer(raw: str, offset: int) -> dict:
    raw = raw.strip()
    if unescape(raw).strip() == "*":
        return {"other": True}
    dots = raw.find("..")
    if dots > 0:
        answer = {
            "min": parse_number(raw[:dots], offset),
            "max": parse_number(raw[dots + 2 :], offset),
        }
        if answer["min"] > answer["max"]:
            raise GiftSyntaxError(
                offset, _l("bad range %(range)r: minimum above maximum"), range=raw
            )
        return answer
    at = find_unescaped(raw, ":")
    if at > 0:
        return {
            "value": parse_number(raw[:at], offset),
            "tolerance": parse_number(raw[at + 1 :], offset),
        }
    return {"value": parse_number(raw, offset), "tolerance": 0}


def parse_numerical(body: str, offset: int, question_format: str) -> dict:
    """`#…` with `=` answers; Moodle reads everything after the first `~` as the feedback of
    "any other answer", so `~` may only be followed by `#feedback` (or a weight)."""
    body, base = body[1:], offset + 1  # the leading '#'
    other = None
    at = find_unescaped(body, "~")
    if at >= 0:
        head, raw_feedback = split_feedback(body[at + 1 :])
        weight, rest = parse_weight(head, base + at + 1)
        if rest.strip():
            raise GiftSyntaxError(
                base + at,
                _l(
                    "numerical answers: '~' starts Moodle's \"any other answer\" and takes only "
                    "#feedback (found %(text)r); write other answers with '='"
                ),
                text=rest.strip()[:20],
            )
        other = {
            "other": True,
            "fraction": weight or 0,
            **feedback_fields(raw_feedback, question_format),
        }
        body = body[:at]
    answers = []
    for piece_at, piece in split_unescaped(body, "="):
        text = piece[1:] if piece.startswith("=") else piece
        if not text.strip():
            continue
        weight, rest = parse_weight(text, base + piece_at)
        value, raw_feedback = split_feedback(rest)
        answer = parse_numeric_answer(value, base + piece_at)
        answers.append(
            {
                **answer,
                "fraction": weight if weight is not None else (0 if answer.get("other") else 1),
                **feedback_fields(raw_feedback, question_format),
            }
        )
    if not answers:
        raise GiftSyntaxError(
            offset, _l("numerical answer block has no answer: write {#3} or {#=3:0.5}")
        )
    return {"type": "numerical", "answers": answers + ([other] if other else [])}


def parse_true_false(stripped: str, question_format: str) -> dict | None:
    """`{T}`, `{FALSE#feedback if wrong#feedback if right}`; None when not true/false."""
    pieces = [piece for _, piece in split_unescaped(stripped, "#")]
    if pieces[0].strip() not in TRUE_FALSE:
        return None
    answer = TRUE_FALSE[pieces[0].strip()]
    wrong = feedback_fields(pieces[1][1:] if len(pieces) > 1 else None, question_format)
    right = feedback_fields("".join(pieces[2:])[1:] if len(pieces) > 2 else None, question_format)
    question = {"type": "true_false", "answer": answer}
    for side, fields in (
        ("true", right if answer else wrong),
        ("false", wrong if answer else right),
    ):
        question[f"feedback_{side}"] = fields["feedback"]
        if "feedback_format" in fields:
            question[f"feedback_{side}_format"] = fields["feedback_format"]
    return question


def answer_pieces(body: str, lead: int, markers: str) -> list[dict]:
    """Each answer: its marker ('' for a bare first answer), raw text and offset."""
    pieces = []
    for at, piece in split_unescaped(body, markers):
        marker = piece[0] if piece[0] in markers else ""
        text = piece[1:] if marker else piece
        if not marker and not text.strip():
            continue
        pieces.append({"marker": marker, "raw": text, "offset": lead + at})
    return pieces


def parse_choices(body: str, lead: int, question_format: str) -> dict:
    choices, single = [], False
    for piece in answer_pieces(body, lead, "=~"):
        weight, rest = parse_weight(piece["raw"], piece["offset"] + 1)
        text_raw, raw_feedback = split_feedback(rest)
        text, fmt = with_format(text_raw, question_format)
        if not text:
            raise GiftSyntaxError(piece["offset"], _l("empty answer text"))
        single = single or piece["marker"] == "="
        choice = {
            "text": text,
            "fraction": weight if weight is not None else (1 if piece["marker"] == "=" else 0),
        }
        if fmt != question_format:
            choice["format"] = fmt
        choices.append({**choice, **feedback_fields(raw_feedback, question_format)})
    return {"type": "single_choice" if single else "multiple_choice", "choices": choices}


def parse_matching(pieces: list[dict], question_format: str) -> dict:
    pairs, distractors = [], []
    for piece in pieces:
        at = find_unescaped(piece["raw"], "->")
        left, fmt = with_format(piece["raw"][:at], question_format)
        right = unescape(piece["raw"][at + 2 :]).strip()
        if not right:
            raise GiftSyntaxError(
                piece["offset"], _l("matching item %(left)r has nothing after '->'"), left=left
            )
        if not left:
            distractors.append(right)
            continue
        pair = {"left": left, "right": right}
        if fmt != question_format:
            pair["format"] = fmt
        pairs.append(pair)
    return {"type": "matching", "pairs": pairs, "distractors": distractors}


def parse_short_answer(pieces: list[dict], question_format: str) -> dict:
    answers = []
    for piece in pieces:
        weight, rest = parse_weight(piece["raw"], piece["offset"] + 1)
        text_raw, raw_feedback = split_feedback(rest)
        text, _fmt = with_format(text_raw, question_format)  # Moodle keeps answers as plain text
        if not text:
            raise GiftSyntaxError(piece["offset"], _l("empty answer text"))
        answers.append(
            {
                "text": text,
                "fraction": 1 if weight is None else weight,
                **feedback_fields(raw_feedback, question_format),
            }
        )
    return {"type": "short_answer", "answers": answers}


def parse_answer_block(body: str, offset: int, question_format: str) -> dict:
    """The inside of one {...}: a partial question (type, payload, general feedback)."""
    check_full_width(body.lstrip(), offset + len(body) - len(body.lstrip()))
    general = {}
    at = rfind_unescaped(body, "####")
    if at >= 0:
        text, fmt = with_format(body[at + 4 :], question_format)
        body, general = body[:at], {"general_feedback": text}
        if text and fmt != question_format:
            general["general_feedback_format"] = fmt
    stripped = body.strip()
    lead = offset + len(body) - len(body.lstrip())
    if not stripped:
        return {"type": "essay", **general}
    if stripped.startswith("#"):
        return {**parse_numerical(stripped, lead, question_format), **general}
    if find_unescaped(stripped, "~") >= 0:
        return {**parse_choices(stripped, lead, question_format), **general}
    pieces = answer_pieces(stripped, lead, "=")
    if (
        pieces
        and all(find_unescaped(p["raw"], "->") >= 0 for p in pieces)
        and any(p["marker"] for p in pieces)
    ):
        return {**parse_matching(pieces, question_format), **general}
    if (true_false := parse_true_false(stripped, question_format)) is not None:
        return {**true_false, **general}
    return {**parse_short_answer(pieces, question_format), **general}

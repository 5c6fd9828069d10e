"""Moodle's embedded answers (`{2:SHORTANSWER:=Paris#Yes~*#No}`) and drag-drop/select gaps
(`[[1]]`) ↔ this product's cloze: text with `{1}`, `{2}` and a list of blanks.

SHORTANSWER(_C) is a typed blank (case-sensitive with _C), NUMERICAL a number blank,
MULTICHOICE and its _V/_H/_S variants a list, MULTIRESPONSE boxes to tick (the variant is
kept for export). The number before the first colon is the blank's weight.
"""

import html
import re

from flask_babel import lazy_gettext as _l

from trainer.quizzes.xml_nodes import XmlProblem

KINDS = {
    "SHORTANSWER": "SHORTANSWER", "SA": "SHORTANSWER", "MW": "SHORTANSWER",
    "SHORTANSWER_C": "SHORTANSWER_C", "SAC": "SHORTANSWER_C", "MWC": "SHORTANSWER_C",
    "NUMERICAL": "NUMERICAL", "NM": "NUMERICAL",
    "MULTICHOICE": "MULTICHOICE", "MC": "MULTICHOICE",
    "MULTICHOICE_V": "MULTICHOICE_V", "MCV": "MULTICHOICE_V",
    "MULTICHOICE_H": "MULTICHOICE_H", "MCH": "MULTICHOICE_H",
    "MULTICHOICE_S": "MULTICHOICE_S", "MCS": "MULTICHOICE_S",
    "MULTICHOICE_VS": "MULTICHOICE_VS", "MCVS": "MULTICHOICE_VS",
    "MULTICHOICE_HS": "MULTICHOICE_HS", "MCHS": "MULTICHOICE_HS",
    "MULTIRESPONSE": "MULTIRESPONSE", "MR": "MULTIRESPONSE",
    "MULTIRESPONSE_H": "MULTIRESPONSE_H", "MRH": "MULTIRESPONSE_H",
    "MULTIRESPONSE_S": "MULTIRESPONSE_S", "MRS": "MULTIRESPONSE_S",
    "MULTIRESPONSE_HS": "MULTIRESPONSE_HS", "MRHS": "MULTIRESPONSE_HS",
}  # fmt: skip
EMBEDDED = re.compile(
    r"\{(\d*):(" + "|".join(sorted(KINDS, key=len, reverse=True)) + r"):((?:\\.|[^\\}])*)\}"
)
GAP = re.compile(r"\[\[(\d+)\]\]")
UNESCAPE = re.compile(r"\\([}#~/\"\\])")
DISPLAYS = {"V": "vertical", "H": "horizontal"}


def unescape(text: str) -> str:
    return UNESCAPE.sub(lambda m: m.group(1), text)


def split_alternatives(body: str) -> list[str]:
    pieces, current, escaped = [], [], False
    for char in body:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == "~":
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    return [*pieces, "".join(current)]


def split_feedback(alternative: str) -> tuple[str, str]:
    """At the first '#' that is neither escaped nor an HTML character reference (&#39;)."""
    for match in re.finditer("#", alternative):
        at = match.start()
        if at and alternative[at - 1] in "\\&":
            continue
        return alternative[:at], alternative[at + 1 :]
    return alternative, ""


def parse_alternative(raw: str, numerical: bool, decode, line: int, blank: int) -> dict:
    fraction = 0.0
    if raw.startswith("="):
        fraction, raw = 1.0, raw[1:]
    elif match := re.match(r"%(-?\d+(?:[.,]\d*)?)%", raw):
        fraction, raw = float(match.group(1).replace(",", ".")) / 100, raw[match.end() :]
    text, feedback = split_feedback(raw)
    text = decode(unescape(text).strip())
    entry = {"fraction": fraction, "feedback": unescape(feedback).strip()}
    if not numerical:
        return {"text": text, **entry}
    if text == "*" or not text:
        return {"other": True, **entry}
    value, _, tolerance = text.partition(":")
    try:
        return {
            "value": float(value.replace(",", ".")),
            "tolerance": float(tolerance.replace(",", ".") or 0),
            **entry,
        }
    except ValueError:
        raise XmlProblem(
            line,
            _l("embedded answer %(n)d: %(value)r is not a number", n=blank, value=text),
            "questiontext",
        ) from None


def parse_embedded(text: str, text_format: str, line: int) -> tuple[str, list[dict]]:
    """Moodle multianswer text → (text with {1}, {2}…, blanks)."""
    decode = html.unescape if text_format in ("html", "moodle") else (lambda s: s)
    blanks: list[dict] = []

    def replace(match: re.Match) -> str:
        n = len(blanks) + 1
        kind = KINDS[match.group(2)]
        numerical = kind == "NUMERICAL"
        answers = [
            parse_alternative(alt, numerical, decode, line, n)
            for alt in split_alternatives(match.group(3))
            if alt.strip()
        ]
        listed = kind.startswith(("MULTICHOICE", "MULTIRESPONSE"))
        blank = {"answers": answers, "dropdown": kind.startswith("MULTICHOICE")}
        if kind.startswith("MULTIRESPONSE"):
            blank["multiple"] = True
        if numerical:
            blank["numerical"] = True
        if kind == "SHORTANSWER_C":
            blank["case_sensitive"] = True
        suffix = kind.partition("_")[2] if listed else ""
        if suffix.rstrip("S") in DISPLAYS:
            blank["display"] = DISPLAYS[suffix.rstrip("S")]
        if suffix.endswith("S"):
            blank["shuffle"] = True
        if match.group(1) and int(match.group(1)) != 1:
            blank["weight"] = int(match.group(1))
        blanks.append(blank)
        return f"{{{n}}}"

    return EMBEDDED.sub(replace, text), blanks


def parse_gaps(text: str, choices: list[tuple[str, str]], line: int) -> tuple[str, list[dict]]:
    """ddwtos / gapselect `[[n]]` gaps → list blanks offering the choices of n's group."""
    blanks: list[dict] = []

    def replace(match: re.Match) -> str:
        number = int(match.group(1))
        if not 1 <= number <= len(choices):
            raise XmlProblem(
                line, _l("gap [[%(n)d]] has no choice %(n)d", n=number), "questiontext"
            )
        correct, group = choices[number - 1]
        options = list(dict.fromkeys(t for t, g in choices if g == group))
        blanks.append(
            {
                "answers": [{"text": t, "fraction": 1 if t == correct else 0} for t in options],
                "dropdown": True,
            }
        )
        return f"{{{len(blanks)}}}"

    return GAP.sub(replace, text), blanks


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def escape(text: str) -> str:
    return re.sub(r"([}#~\\])", r"\\\1", text)


def write_alternative(answer: dict, numerical: bool, encode) -> str:
    fraction = answer.get("fraction", 0 if answer.get("other") else 1)
    prefix = "=" if fraction == 1 else (f"%{number(round(fraction * 100, 5))}%" if fraction else "")
    if answer.get("other"):
        text = "*"
    elif numerical:
        low, high = (
            (answer["min"], answer["max"])
            if "min" in answer
            else (
                answer["value"] - answer.get("tolerance", 0),
                answer["value"] + answer.get("tolerance", 0),
            )
        )
        text = f"{number(round((low + high) / 2, 9))}:{number(round((high - low) / 2, 9))}"
    else:
        text = escape(encode(answer["text"]))
    feedback = f"#{escape(answer['feedback'])}" if answer.get("feedback") else ""
    return prefix + text + feedback


def embedded(blank: dict, text_format: str) -> str:
    """One blank in Moodle's syntax; list blanks write their answers in order."""
    encode = (lambda s: html.escape(s, quote=False)) if text_format in ("html", "moodle") else str
    if blank.get("numerical"):
        kind = "NUMERICAL"
    elif blank.get("dropdown") or blank.get("multiple"):
        display = {"vertical": "V", "horizontal": "H"}.get(blank.get("display", ""), "")
        shuffle = "S" if blank.get("shuffle") else ""
        kind = "MULTIRESPONSE" if blank.get("multiple") else "MULTICHOICE"
        kind += f"_{display}{shuffle}" if display or shuffle else ""
    else:
        kind = "SHORTANSWER_C" if blank.get("case_sensitive") else "SHORTANSWER"
    alternatives = "~".join(
        write_alternative(a, bool(blank.get("numerical")), encode) for a in blank["answers"]
    )
    return f"{{{number(blank.get('weight', 1))}:{kind}:{alternatives}}}"


def embed_blanks(text: str, blanks: list[dict], text_format: str) -> str:
    for n, blank in enumerate(blanks, 1):
        text = text.replace(f"{{{n}}}", embedded(blank, text_format), 1)
    return text

"""One Moodle XML `<question>` → a native question, per Moodle type (qformat_xml's reading).

Common parts: `<name>` is the title (unless it is only the default name made from the
text), `<idnumber>` the key, `<tags>` the tags, `<defaultgrade>` the points, `<penalty>`
(kept when not Moodle's default for the type), general feedback, text formats (kept per
answer and feedback when they differ from the question's), and `<file>` elements: decoded,
stored as assets by sha256, and kept in `files` when a text refers to them.
"""

import base64
import binascii

from flask_babel import lazy_gettext as _l

from trainer.quizzes.assets import MAX_ASSET_BYTES, Asset, referenced_names, sniff_mime_type
from trainer.quizzes.moodle_cloze import parse_embedded, parse_gaps
from trainer.quizzes.moodle_formats import (
    COMBINED_FEEDBACK,
    MOODLE_PENALTY,
    SETTINGS,
    WITH_COMBINED_FEEDBACK,
    default_name,
    default_penalty,
    format_in,
)
from trainer.quizzes.xml_nodes import Node, XmlProblem


class Unsupported(Exception):
    """A Moodle question type with no equivalent here."""


class Skipped(Exception):
    """A question deliberately not imported (descriptions); `message` says why."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class Reader:
    """Reads one question's texts and files; remembers the files and the question format."""

    def __init__(self, node: Node, assets: dict[str, Asset]) -> None:
        self.node, self.assets, self.files = node, assets, {}
        text = node.child("questiontext")
        self.format = format_in(text.attrs.get("format") if text else None, "html")

    def number(self, node: Node | None, raw: str, field: str) -> float:
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            raise XmlProblem(
                node.line if node else self.node.line,
                _l("%(value)r is not a number", value=raw),
                field,
            ) from None
        return int(value) if value.is_integer() else value

    def read_files(self, node: Node) -> None:
        for element in node.all("file"):
            path = element.attrs.get("path", "/").strip("/")
            name = (path + "/" if path else "") + element.attrs.get("name", "")
            try:
                content = base64.b64decode("".join(element.value.split()), validate=True)
            except (binascii.Error, ValueError):
                raise XmlProblem(
                    element.line, _l("file %(name)r is not valid base64", name=name), "file"
                ) from None
            if len(content) > MAX_ASSET_BYTES:
                raise XmlProblem(
                    element.line,
                    _l(
                        "file %(name)r is larger than %(mb)d MB",
                        name=name,
                        mb=MAX_ASSET_BYTES >> 20,
                    ),
                    "file",
                )
            asset = Asset(content, sniff_mime_type(content))
            self.assets.setdefault(asset.sha256, asset)
            self.files.setdefault(name, asset.sha256)

    def rich(self, node: Node | None, default: str | None = None) -> tuple[str, str]:
        """(text, format) of an element holding <text> and maybe <file>s."""
        default = default or self.format
        if node is None:
            return "", default
        self.read_files(node)
        return node.text("text"), format_in(node.attrs.get("format"), default)

    def feedback(self, node: Node, key: str = "feedback") -> dict:
        text, fmt = self.rich(node.child("feedback"))
        fields = {key: text}
        if text and fmt != self.format:
            fields[key + "_format"] = fmt
        return fields


def settings_of(node: Node, question_type: str, reader: Reader) -> dict:
    """Moodle-only settings that differ from their defaults, combined feedback and hints."""
    kept = {}
    for element, default in SETTINGS.get(question_type, {}).items():
        if node.has(element) and node.text(element) != default:
            kept[element] = node.text(element)
    if question_type in WITH_COMBINED_FEEDBACK:
        for element in COMBINED_FEEDBACK:
            text, fmt = reader.rich(node.child(element))
            if text:
                kept[element] = text
                if fmt != reader.format:
                    kept[element + "_format"] = fmt
        if node.has("shownumcorrect"):
            kept["shownumcorrect"] = True
    hints = []
    for hint in node.all("hint"):
        text, fmt = reader.rich(hint)
        entry = {"text": text}
        if fmt != reader.format:
            entry["format"] = fmt
        entry.update({flag: True for flag in ("shownumcorrect", "clearwrong") if hint.has(flag)})
        if hint.text("options"):
            entry["options"] = hint.text("options")
        hints.append(entry)
    if hints:
        kept["hints"] = hints
    return kept


def headers(node: Node, reader: Reader, question_type: str) -> dict:
    text, _ = reader.rich(node.child("questiontext"), "html")
    general, general_format = reader.rich(node.child("generalfeedback"))
    name = node.text("name", "text")
    question = {
        "type": question_type,
        "title": "" if name == default_name(text) else name,
        "text": text,
        "format": reader.format,
        "general_feedback": general,
        "points": reader.number(
            node.child("defaultgrade"), node.text("defaultgrade", default="1"), "defaultgrade"
        ),
        "key": node.text("idnumber"),
    }
    if general and general_format != reader.format:
        question["general_feedback_format"] = general_format
    penalty = reader.number(
        node.child("penalty"),
        node.text("penalty", default=str(default_penalty(question_type))),
        "penalty",
    )
    if abs(penalty - MOODLE_PENALTY) < 0.005:
        penalty = MOODLE_PENALTY  # Moodle's own fix for old files' rounding
    if penalty != default_penalty(question_type):
        question["penalty"] = penalty
    tags = [t.text("text") for t in (node.child("tags") or Node("tags", {}, 0)).all("tag")]
    if tags := [t for t in tags if t]:
        question["tags"] = list(dict.fromkeys(tags))
    return question


def finish(question: dict, node: Node, reader: Reader) -> dict:
    """Moodle-only settings and the files the question's texts refer to."""
    if kept := settings_of(node, question["type"], reader):
        question["moodle"] = kept
    used = referenced_names(*texts_of(question))
    if files := {name: sha for name, sha in reader.files.items() if name in used}:
        question["files"] = files
    return question


def texts_of(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts_of(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts_of(v)]
    return []


def fraction(node: Node, reader: Reader) -> float:
    return reader.number(node, node.attrs.get("fraction", "0"), "answer") / 100


def multichoice(node: Node, assets: dict) -> dict:
    reader = Reader(node, assets)
    single = node.text("single", default="true").lower() not in ("false", "0", "")
    question = headers(node, reader, "single_choice" if single else "multiple_choice")
    choices = []
    for answer in node.all("answer"):
        text, fmt = reader.rich(answer)
        choice = {"text": text, "fraction": fraction(answer, reader)}
        if fmt != reader.format:
            choice["format"] = fmt
        choices.append({**choice, **reader.feedback(answer)})
    return finish({**question, "choices": choices}, node, reader)


def truefalse(node: Node, assets: dict) -> dict:
    reader = Reader(node, assets)
    question = headers(node, reader, "true_false")
    for n, answer in enumerate(node.all("answer")):
        side = answer.text("text").lower()
        side = side if side in ("true", "false") else ("true" if n == 0 else "false")
        question.update(reader.feedback(answer, f"feedback_{side}"))
        if fraction(answer, reader) == 1:
            question["answer"] = side == "true"
    if "answer" not in question:
        raise XmlProblem(node.line, _l("neither true nor false has a fraction of 100"), "answer")
    return finish(question, node, reader)


def shortanswer(node: Node, assets: dict) -> dict:
    reader = Reader(node, assets)
    question = headers(node, reader, "short_answer")
    if node.text("usecase") in ("1", "true"):
        question["case_sensitive"] = True
    question["answers"] = [
        {"text": a.text("text"), "fraction": fraction(a, reader), **reader.feedback(a)}
        for a in node.all("answer")
    ]
    return finish(question, node, reader)


def numerical(node: Node, assets: dict) -> dict:
    reader = Reader(node, assets)
    question = headers(node, reader, "numerical")
    answers = []
    for n, answer in enumerate(node.all("answer"), 1):
        raw = answer.text("text") or answer.value
        entry = {"fraction": fraction(answer, reader), **reader.feedback(answer)}
        if raw in ("*", ""):
            answers.append({"other": True, **entry})
            continue
        tolerance = answer.text("tolerance", default="0") or "0"
        answers.append(
            {
                "value": reader.number(answer, raw, f"answer {n}"),
                "tolerance": abs(reader.number(answer, tolerance, f"answer {n} tolerance")),
                **entry,
            }
        )
    question["answers"] = answers
    units = [
        {
            "name": unit.text("unit_name"),
            "multiplier": reader.number(unit, unit.text("multiplier", default="1"), "unit"),
        }
        for unit in (node.child("units") or Node("units", {}, 0)).all("unit")
    ]
    if units:
        question["units"] = units
    grading = int(
        reader.number(
            node.child("unitgradingtype"),
            node.text("unitgradingtype", default="0") or "0",
            "unitgradingtype",
        )
    )
    if grading:
        question["unit_grading"] = grading
    penalty = reader.number(
        node.child("unitpenalty"), node.text("unitpenalty", default="0.1") or "0.1", "unitpenalty"
    )
    if penalty != 0.1:
        question["unit_penalty"] = penalty
    if node.text("unitsleft") == "1":
        question["units_left"] = True
    finish(question, node, reader)
    shown = node.text("showunits")
    if shown and shown != ("0" if units else "3"):
        question.setdefault("moodle", {})["showunits"] = shown
    return question


def matching(node: Node, assets: dict) -> dict:
    reader = Reader(node, assets)
    question = headers(node, reader, "matching")
    pairs, distractors = [], []
    for sub in node.all("subquestion"):
        left, fmt = reader.rich(sub)
        right = sub.text("answer", "text")
        if not left:
            distractors.append(right)
            continue
        pair = {"left": left, "right": right}
        if fmt != reader.format:
            pair["format"] = fmt
        pairs.append(pair)
    return finish({**question, "pairs": pairs, "distractors": distractors}, node, reader)


def ordering(node: Node, assets: dict) -> dict:
    reader = Reader(node, assets)
    question = headers(node, reader, "ordering")
    answers = node.all("answer")
    positions = [answer.attrs.get("fraction", "") for answer in answers]
    try:
        keys = [float(p) for p in positions]
        if len(set(keys)) == len(keys):
            answers = [a for _, a in sorted(zip(keys, answers, strict=True), key=lambda p: p[0])]
    except ValueError:
        pass  # no usable positions: the document's order is the right order
    items = [reader.rich(answer) for answer in answers]
    question["items"] = [text for text, _ in items]
    if items and items[0][1] != reader.format:
        question["item_format"] = items[0][1]
    return finish(question, node, reader)


def essay(node: Node, assets: dict) -> dict:
    reader = Reader(node, assets)
    question = headers(node, reader, "essay")
    rubric, fmt = reader.rich(node.child("graderinfo"))
    question["rubric"] = rubric
    if rubric and fmt != reader.format:
        question["rubric_format"] = fmt
    finish(question, node, reader)
    template, template_format = reader.rich(node.child("responsetemplate"))
    if template:
        question.setdefault("moodle", {})["responsetemplate"] = template
        if template_format != reader.format:
            question["moodle"]["responsetemplate_format"] = template_format
    return question


def cloze(node: Node, assets: dict) -> dict:
    reader = Reader(node, assets)
    question = headers(node, reader, "cloze")
    question["text"], question["blanks"] = parse_embedded(
        question["text"], reader.format, node.line
    )
    if not node.has("defaultgrade"):  # Moodle's cloze is worth the sum of its blanks' marks
        question["points"] = sum(b.get("weight", 1) for b in question["blanks"]) or 1
    return finish(question, node, reader)


def gaps(element: str):
    def convert(node: Node, assets: dict) -> dict:
        reader = Reader(node, assets)
        question = headers(node, reader, "cloze")
        choices = [(c.text("text"), c.text("group", default="1")) for c in node.all(element)]
        question["text"], question["blanks"] = parse_gaps(question["text"], choices, node.line)
        return finish(question, node, reader)

    return convert


def description(node: Node, assets: dict) -> dict:
    raise Skipped(
        _l(
            "description %(name)r skipped: this product's quizzes have no text-only items",
            name=node.text("name", "text"),
        )
    )


CONVERTERS = {
    "multichoice": multichoice,
    "truefalse": truefalse,
    "shortanswer": shortanswer,
    "numerical": numerical,
    "matching": matching,
    "match": matching,
    "ordering": ordering,
    "essay": essay,
    "cloze": cloze,
    "multianswer": cloze,
    "ddwtos": gaps("dragbox"),
    "gapselect": gaps("selectoption"),
    "description": description,
}

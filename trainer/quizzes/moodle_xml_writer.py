"""Native questions → Moodle XML that Moodle 4.x imports (the structure qformat_xml reads).

Element order and text escaping follow Moodle's own exporter (CDATA when a text holds
markup characters). Images travel as base64 `<file>` elements in the text that refers to
them. Moodle-only settings a question brought from Moodle are written back; otherwise
Moodle's defaults. The output is deterministic: export → import → export is byte-identical.
"""

import base64
from xml.sax.saxutils import escape as escape_xml
from xml.sax.saxutils import quoteattr

from flask_babel import lazy_gettext as _l

from trainer.errors import DomainError
from trainer.quizzes.assets import Asset, referenced_names
from trainer.quizzes.moodle_cloze import embed_blanks
from trainer.quizzes.moodle_formats import (
    COMBINED_FEEDBACK,
    FORMAT_OUT,
    SETTINGS,
    WITH_COMBINED_FEEDBACK,
    default_name,
    default_penalty,
)

MOODLE_TYPES = {
    "single_choice": "multichoice",
    "multiple_choice": "multichoice",
    "true_false": "truefalse",
    "short_answer": "shortanswer",
    "numerical": "numerical",
    "matching": "matching",
    "ordering": "ordering",
    "essay": "essay",
    "cloze": "cloze",
}


class MoodleExportError(DomainError):
    default_message = _l("This question cannot be written as Moodle XML.")


def cdata(text: str) -> str:
    """Moodle's xml_escape: CDATA as soon as the text holds a character XML would escape.
    Texts are written trimmed, as Moodle's importer (and ours) reads them."""
    text = (text or "").strip()
    if text and any(c in text for c in "&<>\"'"):
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return text


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def percent(fraction: float) -> str:
    return number(round(float(fraction) * 100, 5))


def fixed(value: float) -> str:
    return f"{float(value):.7f}"


class Writer:
    """The lines of one question; knows its format and which files its texts show."""

    def __init__(self, question: dict, assets: dict[str, Asset]) -> None:
        self.q, self.assets, self.lines = question, assets, []
        self.format = question.get("format", "plain")

    def add(self, indent: int, line: str) -> None:
        self.lines.append("  " * indent + line)

    def files(self, text: str) -> None:
        files = self.q.get("files") or {}
        for name in sorted(referenced_names(text)):
            if name not in files or files[name] not in self.assets:
                continue
            folder, _, base = name.rpartition("/")
            path = f"/{folder}/" if folder else "/"
            content = base64.b64encode(self.assets[files[name]].content).decode()
            self.lines.append(
                f'<file name={quoteattr(base)} path={quoteattr(path)} encoding="base64">'
                f"{content}</file>"
            )

    def text_element(self, tag: str, text: str, fmt: str | None, indent: int = 2) -> None:
        fmt_attr = f' format="{FORMAT_OUT[fmt or self.format]}"'
        self.add(indent, f"<{tag}{fmt_attr}>")
        self.add(indent + 1, f"<text>{cdata(text or '')}</text>")
        self.files(text or "")
        self.add(indent, f"</{tag}>")

    def simple(self, tag: str, value: str, indent: int = 2) -> None:
        self.add(indent, f"<{tag}>{escape_xml(value)}</{tag}>")

    def answer(self, fraction: float, text: str, fmt: str | None, entry: dict, extra=()) -> None:
        self.add(
            2, f'<answer fraction="{percent(fraction)}" format="{FORMAT_OUT[fmt or self.format]}">'
        )
        self.add(3, f"<text>{cdata(text)}</text>")
        self.files(text)
        self.text_element("feedback", entry.get("feedback") or "", entry.get("feedback_format"), 3)
        for line in extra:
            self.add(3, line)
        self.add(2, "</answer>")

    def settings(self) -> None:
        kept = self.q.get("moodle") or {}
        for element, default in SETTINGS.get(self.q["type"], {}).items():
            self.simple(element, str(kept.get(element, default)))
        if self.q["type"] in WITH_COMBINED_FEEDBACK:
            for element in COMBINED_FEEDBACK:
                self.text_element(element, kept.get(element, ""), kept.get(element + "_format"))
            if kept.get("shownumcorrect"):
                self.add(2, "<shownumcorrect/>")

    def hints_and_tags(self) -> None:
        for hint in (self.q.get("moodle") or {}).get("hints", []):
            self.add(2, f'<hint format="{FORMAT_OUT[hint.get("format") or self.format]}">')
            self.add(3, f"<text>{cdata(hint.get('text', ''))}</text>")
            for flag in ("shownumcorrect", "clearwrong"):
                if hint.get(flag):
                    self.add(3, f"<{flag}/>")
            if hint.get("options"):
                self.simple("options", hint["options"], 3)
            self.add(2, "</hint>")
        if self.q.get("tags"):
            self.add(2, "<tags>")
            for tag in self.q["tags"]:
                self.add(3, f"<tag><text>{cdata(tag)}</text></tag>")
            self.add(2, "</tags>")


def header(w: Writer, text: str) -> None:
    q = w.q
    w.add(1, f'<question type="{MOODLE_TYPES[q["type"]]}">')
    w.add(2, "<name>")
    w.add(3, f"<text>{cdata(q.get('title') or default_name(text))}</text>")
    w.add(2, "</name>")
    w.text_element("questiontext", text, q.get("format"))
    w.text_element(
        "generalfeedback", q.get("general_feedback") or "", q.get("general_feedback_format")
    )
    blanks_worth = sum(b.get("weight", 1) for b in q.get("blanks", []))
    if q["type"] != "cloze" or float(q.get("points", 1)) != blanks_worth:
        w.simple("defaultgrade", fixed(q.get("points", 1)))
    w.simple("penalty", fixed(q.get("penalty", default_penalty(q["type"]))))
    w.simple("hidden", "0")
    w.simple("idnumber", q["key"])


def choices(w: Writer) -> None:
    w.simple("single", "true" if w.q["type"] == "single_choice" else "false")
    w.settings()
    for choice in w.q["choices"]:
        w.answer(choice.get("fraction", 0), choice["text"], choice.get("format"), choice)


def true_false(w: Writer) -> None:
    for side, value in (("true", True), ("false", False)):
        entry = {
            "feedback": w.q.get(f"feedback_{side}") or "",
            "feedback_format": w.q.get(f"feedback_{side}_format"),
        }
        w.answer(1 if w.q["answer"] is value else 0, side, "moodle", entry)


def short_answer(w: Writer) -> None:
    w.simple("usecase", "1" if w.q.get("case_sensitive") else "0")
    for answer in w.q["answers"]:
        w.answer(answer.get("fraction", 1), answer["text"], "moodle", answer)


def numerical(w: Writer) -> None:
    q = w.q
    for answer in q["answers"]:
        if answer.get("other"):
            w.answer(answer.get("fraction", 0), "*", "moodle", answer, ["<tolerance>0</tolerance>"])
            continue
        if "min" in answer:
            value = (answer["min"] + answer["max"]) / 2
            tolerance = (answer["max"] - answer["min"]) / 2
        else:
            value, tolerance = answer["value"], answer.get("tolerance", 0)
        w.answer(
            answer.get("fraction", 1),
            number(round(value, 9)),
            "moodle",
            answer,
            [f"<tolerance>{number(round(abs(tolerance), 9))}</tolerance>"],
        )
    if q.get("units"):
        w.add(2, "<units>")
        for unit in q["units"]:
            w.add(3, "<unit>")
            w.simple("multiplier", number(unit.get("multiplier", 1)), 4)
            w.simple("unit_name", unit["name"], 4)
            w.add(3, "</unit>")
        w.add(2, "</units>")
    w.simple("unitgradingtype", str(q.get("unit_grading", 0)))
    w.simple("unitpenalty", fixed(q.get("unit_penalty", 0.1)))
    shown = (q.get("moodle") or {}).get("showunits", "0" if q.get("units") else "3")
    w.simple("showunits", str(shown))
    w.simple("unitsleft", "1" if q.get("units_left") else "0")


def matching(w: Writer) -> None:
    w.settings()
    subquestions = [(p["left"], p.get("format"), p["right"]) for p in w.q["pairs"]]
    subquestions += [("", None, d) for d in w.q.get("distractors", [])]
    for left, fmt, right in subquestions:
        w.add(2, f'<subquestion format="{FORMAT_OUT[fmt or w.format]}">')
        w.add(3, f"<text>{cdata(left)}</text>")
        w.files(left)
        w.add(3, "<answer>")
        w.add(4, f"<text>{cdata(right)}</text>")
        w.add(3, "</answer>")
        w.add(2, "</subquestion>")


def ordering(w: Writer) -> None:
    w.settings()
    fmt = FORMAT_OUT[w.q.get("item_format") or w.format]
    for position, item in enumerate(w.q["items"], 1):
        w.add(2, f'<answer fraction="{fixed(position)}" format="{fmt}">')
        w.add(3, f"<text>{cdata(item)}</text>")
        w.files(item)
        w.add(2, "</answer>")


def essay(w: Writer) -> None:
    w.settings()
    w.text_element("graderinfo", w.q.get("rubric") or "", w.q.get("rubric_format"))
    kept = w.q.get("moodle") or {}
    w.text_element(
        "responsetemplate", kept.get("responsetemplate", ""), kept.get("responsetemplate_format")
    )


BODIES = {
    "single_choice": choices,
    "multiple_choice": choices,
    "true_false": true_false,
    "short_answer": short_answer,
    "numerical": numerical,
    "matching": matching,
    "ordering": ordering,
    "essay": essay,
    "cloze": lambda w: None,
}


def question_lines(question: dict, assets: dict[str, Asset]) -> list[str]:
    if question["type"] not in MOODLE_TYPES:
        raise MoodleExportError(
            _l("question %(key)s: %(type)s questions cannot be written as Moodle XML"),
            key=question["key"],
            type=question["type"],
        )
    w = Writer(question, assets)
    text = question["text"]
    if question["type"] == "cloze":
        text = embed_blanks(text, question["blanks"], w.format)
    header(w, text)
    BODIES[question["type"]](w)
    w.hints_and_tags()
    w.add(1, "</question>")
    return w.lines


def category_lines(category: str) -> list[str]:
    return [
        '  <question type="category">',
        "    <category>",
        f"      <text>{cdata('$course$/top/' + category)}</text>",
        "    </category>",
        '    <info format="moodle_auto_format">',
        "      <text></text>",
        "    </info>",
        "    <idnumber></idnumber>",
        "  </question>",
        "",
    ]


def to_moodle_xml(questions: list[dict], assets: dict[str, Asset]) -> str:
    lines, category = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"], None
    for question in questions:
        if question.get("category") != category:
            category = question.get("category")
            lines += category_lines(category)
        lines += question_lines(question, assets)
        lines.append("")
    lines.append("</quiz>")
    return "\n".join(lines) + "\n"

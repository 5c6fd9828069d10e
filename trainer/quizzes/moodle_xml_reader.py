"""Moodle XML (`<quiz><question type="…">…`) → native questions, streamed and safe.

The file is read in chunks by defusedxml's SAX parser with DTDs, entity declarations and
external references refused (no billion laughs, no XXE). Only the `<question>` being read is
held as a small tree (with line numbers for errors) and dropped once converted, so memory
stays bounded by one question plus the questions already converted. `<question
type="category">` switches the category of those that follow (`$course$/top/a/b` → `a/b`).

A question type this product cannot show is an error naming its line and name (nothing is
imported), or with `skip_unsupported` a warning; descriptions are always skipped with a
warning (text-only items have no place in this product's quizzes).
"""

import hashlib
import xml.sax
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.sax.expatreader import ExpatLocator

import defusedxml.sax
from defusedxml import DefusedXmlException
from flask_babel import lazy_gettext as _l

from trainer.quizzes.assets import Asset
from trainer.quizzes.gift_lexer import clean_category
from trainer.quizzes.moodle_xml_types import CONVERTERS, Skipped, Unsupported
from trainer.quizzes.questions import (
    BankImportError,
    normalise_question,
    validate_question,
)
from trainer.quizzes.xml_nodes import Node, XmlProblem
from trainer.source_files import Problem

CHUNK = 64 * 1024


class QuestionCollector(xml.sax.ContentHandler):
    """Builds one `<question>` subtree at a time; finished ones wait in `ready`."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[Node] = []
        self.ready: list[Node] = []
        self.locator = None
        self.root_seen = False

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX's name)
        self.locator = locator

    def line(self) -> int:
        return self.locator.getLineNumber() if self.locator else 1

    def startElement(self, name, attrs) -> None:  # noqa: N802
        if not self.root_seen:
            self.root_seen = True
            if name != "quiz":
                raise XmlProblem(self.line(), _l("a Moodle XML file starts with <quiz>"))
            return
        if not self.stack and name != "question":
            self.stack.append(Node(name, {}, self.line(), ignored=True))
            return
        self.stack.append(Node(name, dict(attrs), self.line()))

    def endElement(self, name) -> None:  # noqa: N802
        if not self.stack:
            return
        node = self.stack.pop()
        if self.stack:
            if not self.stack[-1].ignored:
                self.stack[-1].children.append(node)
        elif not node.ignored:
            self.ready.append(node)

    def characters(self, content) -> None:
        if self.stack and not self.stack[-1].ignored:
            self.stack[-1].parts.append(content)


def question_nodes(stream: IO[bytes]) -> Iterator[Node]:
    """Each top-level `<question>` of the file, as soon as it is complete."""
    parser = defusedxml.sax.make_parser()
    parser.forbid_dtd = True
    parser.forbid_entities = True
    parser.forbid_external = True
    collector = QuestionCollector()
    parser.setContentHandler(collector)
    # feed() never hands the handler a locator (only parse() does): give it one, for lines.
    collector.setDocumentLocator(ExpatLocator(parser))
    try:
        while chunk := stream.read(CHUNK):
            parser.feed(chunk)
            yield from collector.ready
            collector.ready.clear()
        parser.close()
    except xml.sax.SAXParseException as exc:
        raise XmlProblem(
            exc.getLineNumber(), _l("not valid XML: %(reason)s", reason=exc.getMessage())
        ) from None
    except LookupError as exc:  # an unknown encoding in the XML declaration (line 1)
        raise XmlProblem(1, _l("not valid XML: %(reason)s", reason=str(exc))) from None
    except DefusedXmlException:
        raise XmlProblem(
            collector.line(), _l("DTDs, entities and external references are not allowed")
        ) from None
    if not collector.root_seen:
        raise XmlProblem(1, _l("the file is empty"))
    yield from collector.ready


@dataclass
class XmlResult:
    questions: list[dict] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)


def generated_key(question: dict) -> str:
    """A Moodle question without an idnumber is known by its category, name and text."""
    source = "\n".join((question["category"], question.get("title") or "", question["text"]))
    return "q-" + hashlib.sha1(source.encode()).hexdigest()[:12]


def read_moodle_xml(
    stream: IO[bytes],
    filename: str = "<xml>",
    default_category: str = "general",
    *,
    skip_unsupported: bool = False,
) -> XmlResult:
    """Every question of the file, validated, or BankImportError listing every problem."""
    result, errors = XmlResult(), []
    category, keys, generated = default_category, {}, {}
    try:
        for node in question_nodes(stream):
            kind = node.attrs.get("type", "")
            if kind == "category":
                category = clean_category(node.text("category", "text")) or default_category
                continue
            try:
                raw = CONVERTERS[kind](node, result.assets) if kind in CONVERTERS else None
                if raw is None:
                    raise Unsupported(kind)
            except Skipped as skipped:
                result.warnings.append(Problem.at(node.line, skipped.message, kind))
                continue
            except Unsupported:
                message = _l(
                    "question type %(type)s is not supported: %(name)s",
                    type=kind or "?",
                    name=node.text("name", "text") or "—",
                )
                (result.warnings if skip_unsupported else errors).append(
                    Problem.at(node.line, message, "type")
                )
                continue
            except XmlProblem as problem:
                errors.append(Problem.at(problem.line, problem.message, problem.field))
                continue
            raw["category"] = category
            question = normalise_question(raw)
            if not raw.get("key"):
                question["key"] = key = generated_key(question)
                generated[key] = generated.get(key, 0) + 1
                if generated[key] > 1:
                    question["key"] = f"{key}-{generated[key]}"
            elif question["key"] in keys and keys[question["key"]][1] != category:
                # Moodle's idnumbers are unique per category; here keys are unique per bank
                question["key"] = f"{category}/{question['key']}"
            question["_line"] = node.line
            question["_keep"] = ["link", "usage"] + ([] if raw.get("tags") else ["tags"])
            errors += [Problem.at(node.line, m) for m in validate_question(question)]
            if question["key"] in keys:
                errors.append(
                    Problem.at(
                        node.line,
                        _l(
                            "duplicate idnumber %(key)r (first on line %(line)d)",
                            key=question["key"],
                            line=keys[question["key"]][0],
                        ),
                        "idnumber",
                    )
                )
            keys.setdefault(question["key"], (node.line, category))
            result.questions.append(question)
    except XmlProblem as problem:
        errors.append(Problem.at(problem.line, problem.message, problem.field))
    if errors:
        raise BankImportError(errors, filename)
    return result

"""The interchange corpus: Moodle's and gift-pegjs's GIFT cases and Moodle XML samples.

Every case imports with the meaning Moodle gives it, or is refused with a message naming the
construct; none may import with another meaning. At least 95 % must agree, and every case
that imports survives GIFT→GIFT, XML→XML and GIFT→XML→GIFT with its meaning, XML exports
byte for byte.
"""

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.quizzes.meaning import agrees, meaning
from trainer.quizzes.gift import read_gift
from trainer.quizzes.gift_export import to_gift
from trainer.quizzes.moodle_xml_reader import read_moodle_xml
from trainer.quizzes.moodle_xml_writer import to_moodle_xml
from trainer.quizzes.questions import BankImportError, canonical

CORPUS = Path(__file__).parent / "corpus"
GIFT_CORPORA = ("moodle_gift", "pegjs_gift")


def cases(name: str) -> list[dict]:
    return yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))["cases"]


def xml_of(case: dict) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{case["xml"]}</quiz>\n'.encode()


def read_case(case: dict):
    """(questions, warnings, assets) of a case, or BankImportError."""
    if "gift" in case:
        result = read_gift(case["gift"], f"{case['id']}.gift")
        return result.questions, result.warnings, {}
    result = read_moodle_xml(io.BytesIO(xml_of(case)), f"{case['id']}.xml")
    return result.questions, result.warnings, result.assets


@dataclass
class Outcome:
    case: str
    verdict: str  # agree | refused (names the construct) | wrong
    detail: str = ""


def judge(case: dict) -> Outcome:
    try:
        questions, warnings, _ = read_case(case)
    except BankImportError as exc:
        message = "\n".join(exc.lines())
        if "error" in case:
            return Outcome(case["id"], "agree" if case["error"] in message else "wrong", message)
        if case.get("construct") and case["construct"] in message:
            return Outcome(case["id"], "refused", message)
        return Outcome(case["id"], "wrong", message)
    if case.get("skipped"):
        described = not questions and any("description" in w.in_file("") for w in warnings)
        return Outcome(case["id"], "agree" if described else "wrong", str(questions))
    if "error" in case or len(questions) != 1:
        return Outcome(case["id"], "wrong", f"{len(questions)} questions")
    actual = meaning(questions[0])
    if agrees(case["expect"], actual):
        return Outcome(case["id"], "agree")
    return Outcome(case["id"], "wrong", f"expected {case['expect']}\nactual   {actual}")


def agreement(name: str) -> tuple[float, list[Outcome]]:
    outcomes = [judge(case) for case in cases(name)]
    return sum(o.verdict == "agree" for o in outcomes) / len(outcomes), outcomes


def all_cases():
    return [
        pytest.param(name, case, id=f"{name}:{case['id']}")
        for name in (*GIFT_CORPORA, "moodle_xml")
        for case in cases(name)
    ]


def importable(kind: str):
    return [
        p
        for p in all_cases()
        if kind in p.values[1]
        and judge(p.values[1]).verdict == "agree"
        and not p.values[1].get("skipped")
        and "error" not in p.values[1]
    ]


@pytest.mark.parametrize(("corpus", "case"), all_cases())
def test_no_case_imports_with_another_meaning(corpus, case):
    outcome = judge(case)
    assert outcome.verdict != "wrong", outcome.detail


@pytest.mark.parametrize("corpus", [*GIFT_CORPORA, "moodle_xml"])
def test_at_least_95_percent_import_with_moodles_meaning(corpus):
    share, outcomes = agreement(corpus)
    refused = [o.case for o in outcomes if o.verdict == "refused"]
    assert share >= 0.95, f"{share:.1%} agree; refused: {refused}"


def strip(questions: list[dict]) -> list[dict]:
    return [canonical({k: v for k, v in q.items() if not k.startswith("_")}) for q in questions]


@pytest.mark.parametrize(("corpus", "case"), importable("gift"))
def test_gift_round_trip_keeps_every_field(corpus, case):
    questions, _, _ = read_case(case)
    again = read_gift(to_gift(questions)).questions
    assert strip(again) == strip(questions)


@pytest.mark.parametrize(("corpus", "case"), importable("gift"))
def test_gift_to_moodle_xml_to_gift_keeps_the_meaning(corpus, case):
    questions, _, _ = read_case(case)
    through_xml = read_moodle_xml(io.BytesIO(to_moodle_xml(questions, {}).encode())).questions
    again = read_gift(to_gift(through_xml)).questions
    assert canonical([meaning(q) for q in again]) == canonical([meaning(q) for q in questions])


@pytest.mark.parametrize(("corpus", "case"), importable("xml"))
def test_moodle_xml_round_trip_keeps_every_field(corpus, case):
    questions, _, assets = read_case(case)
    exported = to_moodle_xml(questions, assets)
    result = read_moodle_xml(io.BytesIO(exported.encode()))
    assert strip(result.questions) == strip(questions)
    assert to_moodle_xml(result.questions, result.assets) == exported

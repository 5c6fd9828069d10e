"""Bad input for every file importer the features do not fuzz themselves: the shipped files,
mutated line by line, either load completely or fail with the feature's own error naming the
file and a line — and a failed load leaves every row count as it was.

(Users CSV: tests/accounts/test_csv_import_fuzz.py; the GIFT parser: tests/quizzes/test_gift.py.)
"""

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from trainer import ROOT
from trainer.content.loading import LibraryInvalid, load_library
from trainer.content.models import ContentModule, ModulePage, Procedure, ProcedureStep
from trainer.extensions import db
from trainer.internship.models import InternshipPlan, PlanTask
from trainer.internship.plan_files import PlanFileError, parse_plan
from trainer.internship.plans import upsert_plan
from trainer.quizzes.bank_files import read_bank
from trainer.quizzes.banks import import_questions
from trainer.quizzes.models import Question, QuestionBank, QuestionVersion
from trainer.quizzes.questions import BankImportError
from trainer.roleplay.models import Scenario, ScenarioVersion
from trainer.roleplay.scenario_format import ScenarioFileError
from trainer.roleplay.scenario_store import load_scenarios

FUZZ = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
YAML_BITS = st.sampled_from(
    [
        ":",
        "- ",
        "  ",
        "\t",
        "{",
        "}",
        "[",
        "]",
        "'",
        '"',
        "#",
        "&a",
        "*a",
        "!!python/object",
        "|",
        ">",
        "?",
        "key: ",
        "text: ",
        "weight: x",
        "null",
        "~",
        "0",
        "-1",
        "true",
        "服务",
        "。",
        "\\u",
        "\x00",
        "%",
        "@",
        "`",
        ",",
        "\n",
    ]
)
NOISE = st.lists(st.one_of(YAML_BITS, st.text(max_size=4)), max_size=6).map("".join)
LOCATED = re.compile(r"[^\s:]+:\d+")


@st.composite
def mutations(draw, text: str) -> str:
    """Replace, insert, delete or truncate at a line of a real file."""
    lines = text.split("\n")
    at = draw(st.integers(0, len(lines) - 1))
    operation = draw(st.sampled_from(["replace", "insert", "delete", "truncate", "append"]))
    noise = draw(NOISE)
    if operation == "replace":
        lines[at] = noise
    elif operation == "insert":
        lines.insert(at, noise)
    elif operation == "delete":
        del lines[at]
    elif operation == "truncate":
        lines = lines[:at]
    else:
        lines[at] += noise
    return "\n".join(lines)


def counts(*models) -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in models)


def assert_each_names_a_line(messages: list[str], filename: str) -> None:
    """Every message names a file and line; the broken file is among them (a module cut
    short may also surface as a dangling reference in another file)."""
    assert messages
    for message in messages:
        assert LOCATED.search(message), message
    assert any(filename in message for message in messages), messages


# ---- content (scripts library YAML) -------------------------------------------------------

MODULE = ROOT / "scripts_library" / "modules" / "complaints.yaml"
PROCEDURE = ROOT / "scripts_library" / "procedures" / "bill_payment.yaml"


@pytest.fixture(scope="module")
def library_copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("library") / "scripts_library"
    shutil.copytree(ROOT / "scripts_library", root)
    return root


@pytest.fixture
def loaded_content(app, programme):
    load_library(ROOT / "scripts_library")
    db.session.commit()


@FUZZ
@given(data=st.data(), source=st.sampled_from([MODULE, PROCEDURE]))
def test_content_yaml_loads_whole_or_not_at_all(app, loaded_content, library_copy, data, source):
    tables = (ContentModule, ModulePage, Procedure, ProcedureStep)
    target = library_copy / source.relative_to(ROOT / "scripts_library")
    original = source.read_text(encoding="utf-8")
    target.write_text(data.draw(mutations(original)), encoding="utf-8")
    before = counts(*tables)
    try:
        load_library(library_copy)
    except LibraryInvalid as exc:
        db.session.rollback()
        assert_each_names_a_line([str(p) for p in exc.problems], target.name)
        assert counts(*tables) == before
    finally:
        db.session.rollback()
        target.write_text(original, encoding="utf-8")


# ---- role-play scenarios -------------------------------------------------------------------

SCENARIO = ROOT / "scripts_library" / "scenarios" / "bill_payment_queue.yaml"


@FUZZ
@given(data=st.data())
def test_scenario_yaml_loads_whole_or_not_at_all(app, tmp_path_factory, data):
    directory = tmp_path_factory.mktemp("scenarios")
    for file in (ROOT / "scripts_library" / "scenarios").glob("*.yaml"):
        shutil.copy(file, directory)
    (directory / SCENARIO.name).write_text(
        data.draw(mutations(SCENARIO.read_text(encoding="utf-8"))), encoding="utf-8"
    )
    before = counts(Scenario, ScenarioVersion)
    try:
        load_scenarios(directory)
    except ScenarioFileError as exc:
        db.session.rollback()
        assert_each_names_a_line([str(p) for p in exc.problems], SCENARIO.name)
        assert counts(Scenario, ScenarioVersion) == before
    finally:
        db.session.rollback()


# ---- question banks: YAML and GIFT through the import used by the upload and the CLI ------

BANK = ROOT / "question_banks" / "first_inquiry.yaml"
GIFT = """\
::fi-tf::首问负责制下，可以让客户去找别的同事。{F}

::fi-sc::首问责任人是指？{=客户第一个询问的员工 ~负责该业务的员工 ~值班经理}

::fi-short::客户第一个询问的员工称为？{=首问责任人}
"""


@FUZZ
@given(data=st.data(), fmt=st.sampled_from(["yaml", "gift"]))
def test_banks_import_whole_or_not_at_all(app, data, fmt):
    original = BANK.read_text(encoding="utf-8") if fmt == "yaml" else GIFT
    filename = f"fuzz.{fmt}"
    text = data.draw(mutations(original))
    tables = (QuestionBank, Question, QuestionVersion)
    before = counts(*tables)
    try:
        meta, questions = read_bank(text, fmt, filename)
        import_questions(None, meta.get("name") or "fuzz", questions)
        db.session.flush()
    except BankImportError as exc:
        db.session.rollback()
        assert_each_names_a_line(exc.lines(), filename)
        assert counts(*tables) == before
    finally:
        db.session.rollback()


# ---- internship plans ----------------------------------------------------------------------

PLAN = ROOT / "scripts_library" / "internship" / "window-staff-30d.yaml"


@FUZZ
@given(data=st.data())
def test_internship_plans_load_whole_or_not_at_all(app, data):
    text = data.draw(mutations(PLAN.read_text(encoding="utf-8")))
    before = counts(InternshipPlan, PlanTask)
    try:
        upsert_plan(parse_plan(text, PLAN.name))
        db.session.flush()
    except PlanFileError as exc:
        db.session.rollback()
        assert_each_names_a_line([str(p) for p in exc.problems], PLAN.name)
        assert counts(InternshipPlan, PlanTask) == before
    finally:
        db.session.rollback()

"""The validator: the shipped library is clean; every planted error is named by file:line:field."""

import pytest

from tests.content.conftest import FIXTURES, SHIPPED
from trainer.content.validation import read_library

BROKEN = FIXTURES / "broken"


def problems_of(root):
    _library, problems = read_library(root)
    return [str(p) for p in problems]


def test_shipped_library_has_no_problems():
    library, problems = read_library(SHIPPED)
    assert [str(p) for p in problems] == []
    assert len(library.procedures) >= 9
    assert len(library.phrases) >= 40
    assert {m.key for m in library.modules} >= {
        "procedures",
        "norms",
        "phrases",
        "forbidden_phrases",
        "conduct",
        "complaints",
        "first_inquiry",
    }


def test_shipped_procedures_have_the_contract_keys_and_four_to_ten_steps():
    library, _ = read_library(SHIPPED)
    keys = {p.key for p in library.procedures}
    assert keys >= {
        "open_account",
        "sim_replacement",
        "bill_payment",
        "plan_change",
        "broadband_install",
        "fault_report",
        "number_portability",
        "account_closure",
        "complaint_handling",
    }
    for procedure in library.procedures:
        assert 4 <= len(procedure.steps) <= 10, procedure.key
        assert all(step.script and step.standard for step in procedure.steps)


def test_every_shipped_phrase_has_an_alternative_and_reason():
    library, _ = read_library(SHIPPED)
    assert all(p.alternative and p.reason and p.category for p in library.phrases)


def test_complaints_module_covers_duty_manager_escalation():
    library, _ = read_library(SHIPPED)
    complaints = next(m for m in library.modules if m.key == "complaints")
    assert any("值班经理" in page.body for page in complaints.pages)


@pytest.mark.parametrize(
    "expected",
    [
        "procedures/open_account.yaml:3: colour: unknown key",
        "procedures/open_account.yaml:5: steps[0]: missing required field 'script'",
        "procedures/open_account.yaml:10: steps[0].reminders[0].text: must not be empty",
        "procedures/open_account.yaml:11: steps[1].key: duplicate step key 'greet'",
        "procedures/open_account.yaml:20: steps[2].reminders[0].type: 'forgetable' is not one of",
        "procedures/open_account.yaml:25: steps[3].script[0]: uses the forbidden phrase '不知道'",
        "procedures/short.yaml:1: key: key 'short_one' must match the file name",
        "procedures/short.yaml:3: steps: a procedure has 4–10 steps, found 1",
        "phrases/bad.yaml:7: phrases[0].allowed_contexts[0]: an allowed context must contain",
        "phrases/bad.yaml:8: phrases[1].key: duplicate phrase key 'dont_know'",
        "phrases/bad.yaml:13: phrases[2]: missing required field 'alternative'",
        "phrases/bad.yaml:14: phrases[2].phrase: duplicate forbidden phrase or variant '不知道'",
        "modules/intro.yaml:3: prerequisites[0]: unknown module 'missing_module'",
        "modules/intro.yaml:10: pages[0].body: embeds unknown procedure 'no_such'",
        "modules/loop_a.yaml:3: prerequisites: prerequisites of 'loop_a' form a cycle",
        "modules/loop_b.yaml:3: title: duplicate key",
        "modules/syntax.yaml:6: -: YAML syntax error",
        "programmes.yaml:4: programmes[0].modules[1]: unknown module 'ghost'",
    ],
)
def test_planted_error_is_reported_with_file_line_and_field(expected):
    assert any(p.startswith(f"{BROKEN}/{expected}") for p in problems_of(BROKEN)), expected


def test_missing_field_is_reported_once():
    reported = [p for p in problems_of(BROKEN) if "phrases[2]" in p and "alternative" in p]
    assert len(reported) == 1


def test_missing_folder_is_a_problem(tmp_path):
    assert problems_of(tmp_path / "nope") == [f"{tmp_path / 'nope'}:1: -: library folder not found"]


def test_validate_command_lists_problems_and_exits_1(runner):
    result = runner.invoke(args=["content", "validate", str(BROKEN)])
    assert result.exit_code == 1
    assert f"{BROKEN}/procedures/open_account.yaml:3: colour: unknown key" in result.output


def test_validate_command_passes_on_the_shipped_library(runner):
    result = runner.invoke(args=["content", "validate"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output

"""Checklist files: the shipped one validates; problems read FILE:LINE: field: message, all
at once; loading is all-or-nothing and idempotent."""

import pytest
from sqlalchemy import func, select

from tests.practical.conftest import CHECKLIST
from trainer.practical.checklist_files import ChecklistFileError, parse_checklist_files
from trainer.practical.models import PracticalChecklist
from trainer.practical.services import load_checklist_files, load_default_checklists


def problems_of(tmp_path, text: str, name="bad.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ChecklistFileError) as caught:
        parse_checklist_files([path])
    return [str(p).removeprefix(f"{tmp_path}/") for p in caught.value.problems]


def test_the_shipped_checklist_covers_the_counter_essentials(app):
    (checklist,) = parse_checklist_files()
    keys = {item["key"] for item in checklist.items}
    assert {"standing_greeting", "real_name_check", "read_back_numbers"} <= keys
    assert {"no_forbidden_phrases", "handover_to_duty_manager", "closing"} <= keys
    critical = {item["key"] for item in checklist.items if item["critical"]}
    assert {"real_name_check", "no_forbidden_phrases", "read_back_numbers"} <= critical


def test_a_missing_weight_is_reported_with_file_and_line(tmp_path, app):
    text = CHECKLIST.replace("    weight: 10\n", "", 1)
    assert problems_of(tmp_path, text) == ["bad.yaml:6: items[0].weight: is required"]


def test_every_problem_is_reported_at_once(tmp_path, app):
    text = CHECKLIST.replace("pass_percent: 80", "pass_percent: 120").replace(
        "weight: 30", "weight: lots"
    )
    found = problems_of(tmp_path, text + "  - key: greeting\n    text: 重复\n    weight: 5\n")
    assert found == [
        "bad.yaml:4: pass_percent: must be a whole number from 1 to 100",
        "bad.yaml:11: items[1].weight: must be a whole number from 1 to 100",
        "bad.yaml:23: items[5].key: duplicate item key",
    ]


def test_an_unknown_procedure_step_is_refused(tmp_path, app):
    text = CHECKLIST.replace(
        "    weight: 10\n", "    weight: 10\n    ref: open_account.no_such_step\n", 1
    )
    assert problems_of(tmp_path, text) == [
        "bad.yaml:9: items[0].ref: unknown procedure step open_account.no_such_step"
    ]


def test_a_checklist_needs_a_critical_item(tmp_path, app):
    text = CHECKLIST.replace("    critical: true\n", "")
    assert problems_of(tmp_path, text) == [
        "bad.yaml:5: items: mark at least one item critical: true"
    ]


def test_unknown_fields_and_a_syntax_error_name_their_line(tmp_path, app):
    assert problems_of(tmp_path, CHECKLIST.replace("title:", "titel:", 1)) == [
        "bad.yaml:2: titel: unknown field (allowed: description, items, key, pass_percent,"
        " programme, title)",
        "bad.yaml:1: title: is required",
    ]
    assert problems_of(tmp_path, "key: [unclosed\n")[0].startswith("bad.yaml:2: ")


def test_loading_is_all_or_nothing(tmp_path, db):
    good = tmp_path / "good.yaml"
    good.write_text(CHECKLIST, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        CHECKLIST.replace("key: test-final", "key: other").replace("weight: 10", "weight: 0"),
        encoding="utf-8",
    )
    with pytest.raises(ChecklistFileError):
        load_checklist_files([good, bad])
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(PracticalChecklist)) == 0


def test_loading_twice_changes_nothing(db):
    assert load_default_checklists() == "1 checklists (1 new or changed)"
    db.session.commit()
    assert load_default_checklists() == "1 checklists (0 new or changed)"


def test_the_cli_validates_and_loads(runner, tmp_path, db):
    result = runner.invoke(args=["practical", "validate"])
    assert result.exit_code == 0 and "window-staff-final" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(CHECKLIST.replace("pass_percent: 80\n", ""), encoding="utf-8")
    result = runner.invoke(args=["practical", "load", str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml:1: pass_percent: is required" in result.output

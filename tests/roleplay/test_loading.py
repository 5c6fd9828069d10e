"""Loading scenarios: all-or-nothing, idempotent, versioned; the `trainer scenarios` CLI."""

import shutil

from sqlalchemy import func, select

from tests.roleplay.conftest import write_scenario
from trainer.audit.models import AuditEntry
from trainer.roleplay import library_refs
from trainer.roleplay.models import Scenario, ScenarioVersion
from trainer.roleplay.scenario_format import ScenarioFileError
from trainer.roleplay.services import load_scenarios, scenario_by_key

COMPLAINT = "complaint_overcharge_escalation.yaml"
# How many scenario files ship (the library grows; the counts below follow the files).
SHIPPED = len(list(library_refs.SCENARIOS_DIR.glob("*.yaml")))


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_loading_twice_changes_nothing(db, scenarios_dir):
    first = load_scenarios(scenarios_dir)
    db.session.commit()
    again = load_scenarios(scenarios_dir)
    assert (first.created, again.created, again.updated) == (SHIPPED, 0, 0)
    assert again.unchanged == first.created
    assert count(db, ScenarioVersion) == first.created


def test_a_changed_file_becomes_the_next_version(db, scenarios_dir, tmp_path):
    shutil.copy(scenarios_dir / COMPLAINT, tmp_path / COMPLAINT)
    load_scenarios(tmp_path)
    text = (tmp_path / COMPLAINT).read_text(encoding="utf-8")
    write_scenario(tmp_path, COMPLAINT, text.replace("pass_mark: 75", "pass_mark: 70"))
    summary = load_scenarios(tmp_path)
    scenario = scenario_by_key("complaint_overcharge_escalation")
    assert summary.updated == 1
    assert [v.number for v in scenario.versions] == [1, 2]
    assert scenario.current_version == 2
    assert db.session.scalar(
        select(AuditEntry.action).where(AuditEntry.action == "scenario.update")
    )


def test_one_bad_file_loads_nothing_and_names_file_line_and_field(db, scenarios_dir, tmp_path):
    shutil.copy(scenarios_dir / COMPLAINT, tmp_path / COMPLAINT)
    text = (scenarios_dir / COMPLAINT).read_text(encoding="utf-8")
    write_scenario(
        tmp_path,
        "broken.yaml",
        text.replace("key: complaint_overcharge_escalation", "key: broken").replace(
            "model: complaint_handling.apologise", "model: complaint_handling.shrug"
        ),
    )
    try:
        load_scenarios(tmp_path)
    except ScenarioFileError as exc:
        messages = [str(p) for p in exc.problems]
    else:
        raise AssertionError("a broken file must stop the load")
    line = text.splitlines().index("      model: complaint_handling.apologise") + 1
    assert messages == [
        f"{tmp_path / 'broken.yaml'}:{line}: turns.t2.rubric.model: "
        "procedure 'complaint_handling' has no step 'shrug'"
    ]
    db.session.rollback()
    assert count(db, Scenario) == 0


def test_two_files_with_one_key_are_refused(db, scenarios_dir, tmp_path):
    shutil.copy(scenarios_dir / COMPLAINT, tmp_path / COMPLAINT)
    shutil.copy(scenarios_dir / COMPLAINT, tmp_path / "copy.yaml")
    try:
        load_scenarios(tmp_path)
    except ScenarioFileError as exc:
        assert "is already used by" in str(exc)
    else:
        raise AssertionError("duplicate keys must stop the load")


def test_cli_validate_reports_ok_for_the_shipped_scenarios(runner):
    result = runner.invoke(args=["scenarios", "validate"])
    assert result.exit_code == 0, result.output
    assert f"{SHIPPED} scenarios OK" in result.output


def test_cli_validate_fails_with_located_problems(runner, tmp_path):
    path = write_scenario(tmp_path, "bad.yaml", "key: bad\ntitle: 坏\n")
    result = runner.invoke(args=["scenarios", "validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:1: procedure: is required" in result.output


def test_cli_load_loads_then_reports_unchanged(runner, db):
    assert f"{SHIPPED} scenarios created" in runner.invoke(args=["scenarios", "load"]).output
    assert f"{SHIPPED} unchanged" in runner.invoke(args=["scenarios", "load"]).output


def test_cli_load_with_a_bad_directory_writes_nothing(runner, db, tmp_path):
    write_scenario(tmp_path, "bad.yaml", "key: [unclosed\n")
    result = runner.invoke(args=["scenarios", "load", str(tmp_path)])
    assert result.exit_code == 1
    assert "nothing loaded" in result.output
    assert count(db, Scenario) == 0


def test_the_library_loader_is_registered_at_order_20(app):
    assert app.extensions["library_loaders"]["scenarios"][0] == 20

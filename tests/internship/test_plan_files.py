"""Plan files: every problem reported with file:line, references checked, loads all-or-nothing."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.internship.conftest import PLAN_YAML
from trainer.internship.models import InternshipPlan, PlanTask
from trainer.internship.plan_files import (
    PLANS_DIR,
    PlanFileError,
    known_procedures,
    parse_plan,
    parse_plan_files,
)
from trainer.internship.plans import load_plan_files, upsert_plan

PROCEDURES = {"open_account": {"greet", "verify_identity"}}


def problems_of(text: str, procedures=None) -> list[str]:
    with pytest.raises(PlanFileError) as raised:
        parse_plan(text, "plan.yaml", procedures)
    return [str(p) for p in raised.value.problems]


def test_the_repository_plans_are_valid_against_the_procedures():
    plans = parse_plan_files()
    assert plans and all(plan.tasks for plan in plans)
    assert known_procedures() is not None  # the references were really checked


def test_the_repository_plan_covers_every_window_procedure():
    procedures = known_procedures()
    used = {task.procedure_key for plan in parse_plan_files() for task in plan.tasks}
    assert set(procedures) <= used


def test_an_unknown_procedure_is_reported_with_file_and_line():
    text = PLAN_YAML.replace("procedure: open_account", "procedure: open_acount")
    assert problems_of(text, PROCEDURES) == [
        "plan.yaml:9: weeks[1].tasks[1].procedure: unknown procedure 'open_acount'"
    ]


def test_an_unknown_step_reference_is_reported_with_its_line():
    text = PLAN_YAML.replace(
        "          - 能说出一证五号限制",
        "          - text: 能说出一证五号限制\n            ref: open_account.verify_id",
    )
    assert problems_of(text, PROCEDURES) == [
        "plan.yaml:13: weeks[1].tasks[1].checklist[2].ref: unknown step 'verify_id' of "
        "procedure 'open_account'"
    ]


def test_references_are_not_checked_while_there_are_no_procedures():
    text = PLAN_YAML.replace("procedure: open_account", "procedure: not_written_yet")
    assert parse_plan(text, "plan.yaml", None).tasks[0].procedure_key == "not_written_yet"


def test_every_problem_of_a_file_is_reported_at_once():
    text = (
        PLAN_YAML.replace("        observations: 2", "        observations: 0")
        .replace("key: greet_customers", "key: observe_open_account")
        .replace("        title: 站立迎客\n", "")
    )
    assert sorted(problems_of(text)) == [
        "plan.yaml:13: weeks[1].tasks[2].key: duplicate task key 'observe_open_account' "
        "(first on line 7)",
        "plan.yaml:13: weeks[1].tasks[2].title: is required",
        "plan.yaml:14: weeks[1].tasks[2].observations: must be a whole number ≥ 1",
    ]


def test_unknown_fields_are_named():
    text = PLAN_YAML.replace("        observations: 2", "        observation: 2")
    assert problems_of(text) == [
        "plan.yaml:15: weeks[1].tasks[2].observation: unknown field (allowed: checklist, "
        "description, duty_manager, key, observations, procedure, required, title)"
    ]


def test_a_yaml_syntax_error_names_its_line():
    text = PLAN_YAML.replace("    title: 跟岗观摩", "    title: [跟岗观摩")
    assert problems_of(text)[0].startswith("plan.yaml:")


def test_a_task_without_a_checklist_is_refused():
    text = PLAN_YAML.replace("          - 记录值班日志\n", "")
    assert problems_of(text)[0].endswith("checklist: must list at least one observable behaviour")


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def plan_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(InternshipPlan))


def test_loading_is_all_or_nothing(tmp_path, db):
    write(tmp_path, "a.yaml", PLAN_YAML)
    write(
        tmp_path,
        "b.yaml",
        PLAN_YAML.replace("test-plan", "other").replace(
            "    tasks:\n      - key: observe", "    tasks: []\n    x:\n      - key: observe"
        ),
    )
    with pytest.raises(PlanFileError):
        load_plan_files([tmp_path])
    assert plan_count(db) == 0


def test_loading_twice_changes_nothing(tmp_path, db):
    write(tmp_path, "a.yaml", PLAN_YAML)
    assert load_plan_files([tmp_path]) == (1, 1)
    ids = set(db.session.scalars(select(PlanTask.id)))
    assert load_plan_files([tmp_path]) == (1, 0)
    assert set(db.session.scalars(select(PlanTask.id))) == ids


def test_a_task_removed_from_the_file_is_retired_not_deleted(db, plan, task):
    kept = task("duty_log")
    text = PLAN_YAML.replace("      - key: duty_log", "      - key: gone").replace(
        "随值班经理巡检", "新任务"
    )
    upsert_plan(parse_plan(text, "test-plan.yaml"))
    db.session.flush()
    assert db.session.get(PlanTask, kept.id).retired


def test_the_cli_validates_and_reports_problems(runner, tmp_path):
    write(tmp_path, "bad.yaml", PLAN_YAML.replace("title: 测试带教计划", "title: ''"))
    result = runner.invoke(args=["internship", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "bad.yaml:2: title: is required" in result.output


def test_the_cli_loads_the_default_plans(runner, db):
    result = runner.invoke(args=["internship", "load"])
    assert result.exit_code == 0, result.output
    assert plan_count(db) == len(list(PLANS_DIR.glob("*.yaml")))

"""`trainer load-library [--strict]` and `trainer library status` on the command line."""

from sqlalchemy import update

from tests.library.files import SCRIPTS, ScenarioKind
from trainer.library.models import LibraryItem
from trainer.permissions import Role


def test_load_library_lists_a_conflict_and_strict_exits_1(runner, db, programme, make_user):
    """The shipped files, loaded; a scenario edited in the UI whose file has changed since."""
    assert runner.invoke(args=["load-library"]).exit_code == 0

    kind = ScenarioKind(
        "scenario", "plan_change_hotline", SCRIPTS / "scenarios", "热线来电：套餐太贵想换便宜的"
    )
    kind.edit_in_ui(make_user(Role.TRAINER), "界面里改过的文字")
    db.session.execute(  # as if the file had been loaded at an older content
        update(LibraryItem)
        .where(LibraryItem.kind == "scenario", LibraryItem.key == kind.key)
        .values(base_digest="0" * 64)
    )
    db.session.commit()

    relaxed = runner.invoke(args=["load-library"])
    strict = runner.invoke(args=["load-library", "--strict"])

    assert relaxed.exit_code == 0
    assert "  conflicts: plan_change_hotline" in relaxed.output
    assert "scenario: 0 created, 0 updated" in relaxed.output
    assert strict.exit_code == 1
    assert kind.current() == "界面里改过的文字"


def test_library_status_prints_what_differs(runner, conflict):
    result = runner.invoke(args=["library", "status", "--diff"])

    assert result.exit_code == 0
    assert f"冲突: {conflict.key_in_report}" in result.output or (
        f"Conflict: {conflict.key_in_report}" in result.output
    )
    assert "- " in result.output and "文件里改过的文字" in result.output

"""Write-back: `trainer content export` and `trainer banks export --all` write the database as
the repository's files; loading them back changes nothing, UI edits included."""

from pathlib import Path

import pytest

from tests.library.files import KINDS
from trainer.content.loading import load_library
from trainer.extensions import db as _db
from trainer.internship.plans import load_plan_files
from trainer.library.sync import Outcome, reloading
from trainer.library_status.services import library_status
from trainer.permissions import Role
from trainer.quizzes.library import load_question_banks
from trainer.roleplay.scenario_store import load_scenarios


def load_all(files: Path):
    """A library reload of every kind from the tree `files` (scripts_library/, question_banks/)."""
    scripts = files / "scripts_library"
    with reloading() as reconciler:
        load_library(scripts)
        load_scenarios(scripts / "scenarios")
        load_plan_files([scripts / "internship"])
        load_question_banks(files / "question_banks")
    _db.session.commit()
    return reconciler


def export_all(runner, out: Path) -> Path:
    for args in (
        ["content", "export", "--out", str(out / "scripts_library")],
        ["banks", "export", "--all", "--out", str(out / "question_banks")],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    return out


def changes(reconciler) -> dict:
    return {
        (kind, outcome): keys
        for kind, by in reconciler.outcomes.items()
        for outcome, keys in by.items()
        if outcome is not Outcome.UNCHANGED and keys
    }


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.y*ml"))}


@pytest.fixture
def loaded(db, programme, library_files):
    load_all(library_files)
    return library_files


def test_loading_the_exported_library_changes_nothing(loaded, runner, tmp_path):
    exported = export_all(runner, tmp_path / "exported")

    assert changes(load_all(exported)) == {}


def test_export_load_export_is_byte_identical(loaded, runner, tmp_path):
    first = export_all(runner, tmp_path / "first")
    load_all(first)
    second = export_all(runner, tmp_path / "second")

    assert tree(first) == tree(second)
    assert len(tree(first)) > 50


def test_scenarios_and_plans_are_written_back_as_their_files(loaded, runner, tmp_path):
    exported = export_all(runner, tmp_path / "exported") / "scripts_library"

    for folder in ("scenarios", "internship"):
        shipped = loaded / "scripts_library" / folder
        assert tree(exported / folder) == {
            name: data for name, data in tree(shipped).items() if name in tree(exported / folder)
        }
        assert len(tree(exported / folder)) == len(list(shipped.glob("*.yaml")))


@pytest.mark.parametrize("name", ["procedure", "scenario", "internship plan", "question"])
def test_exported_ui_edits_reload_as_no_difference(loaded, runner, tmp_path, make_user, app, name):
    kind = KINDS[name](loaded)
    kind.edit_in_ui(make_user(Role.TRAINER), "界面里改过的文字")
    _db.session.commit()
    exported = export_all(runner, tmp_path / "exported")

    assert changes(load_all(exported)) == {}
    assert kind.current() == "界面里改过的文字"
    app.config["LIBRARY_DIR"] = str(exported / "scripts_library")
    assert all(not s.entries for s in library_status(with_diffs=False, only=kind.name))

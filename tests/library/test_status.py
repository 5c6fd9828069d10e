"""The library status (what differs) and its resolutions, for every kind of library item."""

import pytest
from sqlalchemy import select

from trainer.audit.models import AuditEntry
from trainer.library.kinds import Difference, side_by_side
from trainer.library.sync import Outcome
from trainer.library_status.services import Resolution, library_status, resolve


def difference(kind) -> Difference | None:
    for status in library_status(only=kind.name):
        for entry in status.entries:
            if entry.kind == kind.name and entry.key == kind.key_in_report:
                return entry
    return None


def test_the_loaded_item_does_not_differ(kind):
    assert difference(kind) is None


def test_a_ui_edit_is_new_in_the_ui(kind, trainer_user):
    kind.edit_in_ui(trainer_user, "界面里改过的文字")

    assert difference(kind).difference is Difference.NEW_IN_UI


def test_a_changed_file_is_new_in_the_files(kind):
    kind.edit_file("文件里改过的文字")

    assert difference(kind).difference is Difference.NEW_IN_FILES


def test_a_conflict_shows_both_texts_side_by_side(conflict):
    entry = difference(conflict)

    assert entry.difference is Difference.CONFLICT
    assert any(
        "界面里改过的文字" in left and "文件里改过的文字" in right for left, right, _t in entry.rows
    )


def test_taking_the_file_resolves_the_conflict_and_the_reload_agrees(conflict, trainer_user, db):
    resolve(trainer_user, conflict.name, conflict.key_in_report, Resolution.TAKE_FILE)
    db.session.commit()

    assert conflict.current() == "文件里改过的文字"
    assert difference(conflict) is None
    assert conflict.reload().outcomes[conflict.name][Outcome.UNCHANGED]


def test_keeping_mine_stops_the_conflict_and_later_reloads_keep_the_ui_version(
    conflict, trainer_user, db
):
    resolve(trainer_user, conflict.name, conflict.key_in_report, Resolution.KEEP_MINE)
    db.session.commit()

    reconciler = conflict.reload()

    assert conflict.current() == "界面里改过的文字"
    assert reconciler.outcomes[conflict.name][Outcome.KEPT] == [conflict.key_in_report]
    assert difference(conflict).difference is Difference.NEW_IN_UI


def test_a_merge_by_hand_is_saved_and_survives_the_reload(conflict, trainer_user, db):
    text = difference(conflict).db.text.replace("界面里改过的文字", "合并后的文字")

    resolve(trainer_user, conflict.name, conflict.key_in_report, Resolution.MERGE, text)
    db.session.commit()
    conflict.reload()

    assert conflict.current() == "合并后的文字"


def test_every_resolution_is_audited(conflict, trainer_user, db):
    resolve(trainer_user, conflict.name, conflict.key_in_report, Resolution.KEEP_MINE)

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "library.keep_mine"))
    assert entry.actor_id == trainer_user.id
    assert entry.after["key"] == conflict.key_in_report


def test_a_merged_text_that_fails_the_checks_is_refused_naming_the_problem(conflict, trainer_user):
    with pytest.raises(ValueError, match="key"):
        resolve(trainer_user, conflict.name, conflict.key_in_report, Resolution.MERGE, "key: 1\n")


def test_side_by_side_pairs_changed_lines_and_marks_added_ones():
    rows = side_by_side("a\nb\n", "a\nc\nd\n")

    assert rows == [("a", "a", "equal"), ("b", "c", "changed"), ("", "d", "added")]


def test_side_by_side_folds_equal_lines_far_from_a_change():
    rows = side_by_side("a\nb\nc\nd\n", "a\nb\nc\nX\n", context=1)

    assert rows == [("…", "…", "skip"), ("c", "c", "equal"), ("d", "X", "changed")]

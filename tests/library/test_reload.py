"""Three-way reload, for every kind of library item (tests/library/conftest.py: KINDS)."""

from trainer.library.sync import Outcome, item_of


def test_a_ui_edit_survives_a_reload_of_the_unchanged_file(kind, trainer_user):
    kind.edit_in_ui(trainer_user, "界面里改过的文字")

    reconciler = kind.reload()

    assert kind.current() == "界面里改过的文字"
    assert reconciler.outcomes[kind.name][Outcome.KEPT] == [kind.key_in_report]


def test_a_changed_file_is_taken_when_the_ui_did_not_edit(kind):
    kind.edit_file("文件里改过的文字")

    reconciler = kind.reload()

    assert kind.current() == "文件里改过的文字"
    assert reconciler.outcomes[kind.name][Outcome.UPDATED] == [kind.key_in_report]


def test_both_changed_keeps_the_ui_version_and_reports_a_conflict(kind, trainer_user):
    kind.edit_in_ui(trainer_user, "界面里改过的文字")
    kind.edit_file("文件里改过的文字")

    reconciler = kind.reload()

    assert kind.current() == "界面里改过的文字"
    assert reconciler.outcomes[kind.name][Outcome.CONFLICT] == [kind.key_in_report]
    assert item_of(kind.name, kind.key_in_report).pending_digest is not None


def test_a_conflict_stays_a_conflict_on_the_next_reload(kind, trainer_user):
    kind.edit_in_ui(trainer_user, "界面里改过的文字")
    kind.edit_file("文件里改过的文字")
    kind.reload()

    reconciler = kind.reload()

    assert kind.current() == "界面里改过的文字"
    assert reconciler.conflicts == 1


def test_reloading_unchanged_files_changes_nothing(kind):
    reconciler = kind.reload()

    assert reconciler.outcomes[kind.name][Outcome.UNCHANGED]
    assert not reconciler.outcomes[kind.name][Outcome.UPDATED]

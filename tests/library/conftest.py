"""Library reload fixtures: each kind of library item loaded from a copy of its files."""

import pytest

from tests.library.files import KINDS, Kind, copy_library_files
from trainer.permissions import Role


@pytest.fixture
def library_files(app, tmp_path):
    yield from copy_library_files(app, tmp_path)


@pytest.fixture(params=list(KINDS))
def kind(request, snapshots, library_files) -> Kind:
    """Each kind of library item, loaded from a writable copy of its files.

    The load is the same for every test of a kind (the copies are equal; the database keeps
    no path), so it runs once per kind and run, and later tests restore its snapshot."""
    item = KINDS[request.param](library_files)

    def load():
        request.getfixturevalue("programme")
        item.reload()

    snapshots.restore_or_build(f"library-{request.param}", load)
    if not item.original:
        item.original = item.current()
    return item


@pytest.fixture
def trainer_user(make_user):
    return make_user(Role.TRAINER)


@pytest.fixture
def conflict(kind, trainer_user):
    """`kind` with its item edited in the UI and in its file, then reloaded: a conflict."""
    kind.edit_in_ui(trainer_user, "界面里改过的文字")
    kind.edit_file("文件里改过的文字")
    kind.reload()
    kind.trainer = trainer_user
    return kind

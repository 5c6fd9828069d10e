"""Nothing is written under instance/ at run time: every file a second instance needs is in the
database (or S3). A realistic run (load the library, seed, import questions with images, issue
certificates and download them, export, run every job, back up) is watched two ways: a Python
audit hook sees every file opened for writing, renamed, linked, made or removed under
instance/ (even a temporary file removed again), and the folder is compared before and after.

Allowed: a SQLite database there (`trainer.db`, its -wal and -shm) and the development key
generated on first start (`secret_key`). The certificate font is built by `make install`.
"""

import os
import sys
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from trainer.certificates.models import Certificate
from trainer.jobs.registry import registry
from trainer.jobs.runner import run_job
from trainer.permissions import Role
from trainer.training.models import Cohort

ALLOWED = {"trainer.db", "trainer.db-wal", "trainer.db-shm", "trainer.db-journal", "secret_key"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
EXPORT = Path(__file__).parent.parent / "quizzes" / "data" / "moodle_export.xml"


class InstanceWatch:
    """Records writes under one folder while active (audit hooks cannot be removed, so one
    hook is installed per process and switched on and off)."""

    def __init__(self) -> None:
        self.root: Path | None = None
        self.writes: list[tuple[str, str]] = []
        sys.addaudithook(self.hook)

    def hook(self, event: str, args: tuple) -> None:
        if self.root is None:
            return
        if event == "open":
            path, mode, flags = args
            if mode is not None:
                writes = any(c in mode for c in "wax+")
            else:
                writes = bool((flags or 0) & WRITE_FLAGS)
        elif event in ("os.rename", "os.link", "os.symlink"):
            path, writes = args[1], True
        elif event in ("os.mkdir", "os.remove", "os.rmdir", "os.truncate", "shutil.rmtree"):
            path, writes = args[0], True
        else:
            return
        if not writes or not isinstance(path, str | bytes | os.PathLike):
            return
        target = Path(os.fsdecode(path)).absolute()
        if target.is_relative_to(self.root) and target.name not in ALLOWED:
            self.writes.append((event, str(target)))


WATCH = InstanceWatch()


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    if not root.is_dir():
        return {}
    return {
        str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file() and path.name not in ALLOWED
    }


@pytest.fixture
def watched_instance(app):
    root = Path(app.instance_path).absolute()
    before = snapshot(root)
    WATCH.writes.clear()
    WATCH.root = root
    yield WATCH
    WATCH.root = None
    assert snapshot(root) == before


@pytest.mark.slow  # ≈ 50 s: loads the library and seeds the demo under the watch
def test_a_realistic_run_writes_nothing_under_instance(
    watched_instance, runner, client, login_as, make_user, tmp_path
):
    for command in (["load-library"], ["seed-demo"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    imported = runner.invoke(args=["banks", "import", str(EXPORT), "--skip-unsupported"])
    assert imported.exit_code == 0, imported.output  # question images go to the store
    for cohort_id in current_app.extensions["sqlalchemy"].session.scalars(select(Cohort.id)):
        runner.invoke(args=["certs", "issue", "--cohort", str(cohort_id)])
    for args in (
        ["banks", "export", "--all", "--out", str(tmp_path / "banks")],
        [
            "reports",
            "export",
            "certificates",
            "--format",
            "xlsx",
            "--out",
            str(tmp_path / "c.xlsx"),
        ],
        ["backup", "--out", str(tmp_path / "site.tar.gz")],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (args, result.output)
    for spec in registry().all():
        assert run_job(spec.name).outcome == "done", spec.name

    login_as(make_user(Role.ADMIN))
    certificates = (
        current_app.extensions["sqlalchemy"].session.scalars(select(Certificate).limit(3)).all()
    )
    assert certificates, "the demo issues certificates"
    for certificate in certificates:
        response = client.get(f"/certificates/{certificate.id}/pdf")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")

    assert watched_instance.writes == []


def test_the_watch_sees_a_write_under_instance(app, watched_instance):
    probe = Path(app.instance_path) / "probe-written-by-the-test.tmp"
    try:
        probe.parent.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"x")
    finally:
        probe.unlink(missing_ok=True)
    assert ("open", str(probe.absolute())) in watched_instance.writes
    assert ("os.remove", str(probe.absolute())) in watched_instance.writes
    watched_instance.writes.clear()

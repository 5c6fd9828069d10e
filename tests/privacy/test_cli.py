"""`trainer privacy export|anonymise|purge`."""

import zipfile

from sqlalchemy import select

from trainer.accounts.models import User
from trainer.extensions import db


def test_export_writes_the_zip(person, runner, tmp_path):
    out = tmp_path / "e0020.zip"
    result = runner.invoke(args=["privacy", "export", "E0020", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(out).namelist()
    assert "personal-data.json" in names and any(n.endswith(".pdf") for n in names)


def test_anonymise_with_yes(person, runner):
    user_id = person("E0020").id
    result = runner.invoke(args=["privacy", "anonymise", "E0020", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    pseudonym = db.session.get(User, user_id).employee_no
    assert f"E0020 is now {pseudonym}" in result.output
    again = runner.invoke(args=["privacy", "anonymise", "E0020", "--yes"])
    assert again.exit_code == 1 and "No user has employee number E0020" in again.output


def test_anonymise_without_yes_asks_and_stops_on_no(person, runner):
    result = runner.invoke(args=["privacy", "anonymise", "E0020"], input="n\n")
    assert result.exit_code == 1
    assert db.session.scalar(select(User).where(User.employee_no == "E0020")) is not None


def test_purge_dry_run_prints_counts_per_kind(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "RETAIN_AUDIT_MONTHS", 0)
    result = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == [
        "drill_replies", "practice_logs", "notifications", "sessions", "audit"
    ]  # fmt: skip
    assert "would remove" in lines[2] and "kept forever" in lines[4]

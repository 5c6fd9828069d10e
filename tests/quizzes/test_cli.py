"""`trainer banks import/export`: all-or-nothing, FILE:LINE errors, round trips."""

import json
from pathlib import Path

from sqlalchemy import func, select

from trainer.quizzes.models import Question, QuestionVersion

DATA = Path(__file__).parent / "data"


def count(db, model=Question) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_gift(runner, db):
    result = runner.invoke(
        args=[
            "banks",
            "import",
            str(DATA / "full_syntax.gift"),
            "--format",
            "gift",
            "--bank",
            "syntax",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "syntax: 15 created" in result.output and count(db) == 15


def test_malformed_import_exits_1_prints_every_error_and_imports_nothing(runner, db):
    path = DATA / "malformed.gift"
    result = runner.invoke(args=["banks", "import", str(path), "--format", "gift"])
    assert result.exit_code == 1
    assert f"{path}:2: unclosed '{{'" in result.output
    assert f"{path}:8: full-width '＝'" in result.output
    assert count(db) == 0


def test_import_is_idempotent_and_changes_make_versions(runner, db, tmp_path):
    gift = tmp_path / "b.gift"
    gift.write_text("// @key q1\n问题一{=甲 ~乙}\n\n// @key q2\n问题二{T}\n", encoding="utf-8")
    runner.invoke(args=["banks", "import", str(gift), "--format", "gift"])
    again = runner.invoke(args=["banks", "import", str(gift), "--format", "gift"])
    assert "0 created, 0 new versions, 2 unchanged" in again.output
    gift.write_text(
        "// @key q1\n问题一（修订）{=甲 ~乙}\n\n// @key q2\n问题二{T}\n", encoding="utf-8"
    )
    changed = runner.invoke(args=["banks", "import", str(gift), "--format", "gift"])
    assert "1 new versions" in changed.output and count(db, QuestionVersion) == 3


def test_gift_round_trip_through_the_database(runner, db, tmp_path):
    runner.invoke(args=["banks", "import", str(DATA / "full_syntax.gift"), "--bank", "syntax"])
    first = tmp_path / "first.gift"
    runner.invoke(args=["banks", "export", "syntax", "--format", "gift", "--out", str(first)])
    runner.invoke(args=["banks", "import", str(first), "--format", "gift", "--bank", "copy"])
    second = tmp_path / "second.gift"
    runner.invoke(args=["banks", "export", "copy", "--format", "gift", "--out", str(second)])
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    assert count(db) == 30


def test_yaml_and_json_export_import(runner, db, tmp_path):
    runner.invoke(args=["banks", "import", str(DATA / "full_syntax.gift"), "--bank", "syntax"])
    for fmt in ("yaml", "json"):
        out = tmp_path / f"syntax.{fmt}"
        runner.invoke(args=["banks", "export", "syntax", "--format", fmt, "--out", str(out)])
        result = runner.invoke(args=["banks", "import", str(out), "--format", fmt, "--bank", fmt])
        assert "15 created" in result.output, result.output
    exported = json.loads((tmp_path / "syntax.json").read_text(encoding="utf-8"))
    assert exported["name"] == "syntax" and len(exported["questions"]) == 15


def test_yaml_errors_name_the_line_and_field(runner, db, tmp_path):
    bank = tmp_path / "bad.yaml"
    bank.write_text(
        "name: bad\ncategory: norms\nquestions:\n"
        "  - key: ok\n    type: true_false\n    text: 对吗\n    answer: true\n"
        "  - key: broken\n    type: single_choice\n    text: 选哪个\n"
        "    choices: [{text: 甲, fraction: 0.5}, {text: 乙}]\n"
        "  - key: unknown\n    type: riddle\n    text: 猜\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["banks", "import", str(bank), "--format", "yaml"])
    assert result.exit_code == 1
    assert f"{bank}:8: question broken: choices: exactly one choice" in result.output
    assert f"{bank}:12: question unknown: type: unknown question type 'riddle'" in result.output
    assert count(db) == 0


def test_export_of_an_unknown_bank_fails(runner, db):
    assert runner.invoke(args=["banks", "export", "nope"]).exit_code != 0

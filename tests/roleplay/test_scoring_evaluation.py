"""The reply scorer measured against replies labelled by a trainer (tests/roleplay/eval/):
the held-out part was never used to tune the thesaurus or the phrase list (README)."""

import json
from pathlib import Path

import pytest

from trainer.roleplay.scenario_store import check_directory

EVAL = Path(__file__).parent / "eval"


def evaluate(runner, name: str) -> dict:
    result = runner.invoke(args=["scenarios", "evaluate", str(EVAL / name), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def heldout(app):
    return evaluate(app.test_cli_runner(), "heldout.jsonl")


def test_the_evaluation_set_covers_every_typed_turn_of_every_shipped_scenario(scenarios_dir):
    lines = [
        json.loads(line)
        for name in ("dev.jsonl", "heldout.jsonl")
        for line in (EVAL / name).read_text(encoding="utf-8").splitlines()
    ]
    turns = {(i["scenario"], i["turn"]) for i in lines}
    shipped = {
        (s.key, t.key) for _f, _src, s in check_directory(scenarios_dir) for t in s.reply_turns()
    }
    assert len(lines) >= 300
    assert shipped <= turns


def test_held_out_element_decisions_agree_with_the_trainer(heldout):
    assert heldout["element_agreement"] >= 0.92


def test_held_out_forbidden_phrases_are_found(heldout):
    assert heldout["forbidden_recall"] >= 0.97


def test_held_out_innocent_look_alikes_are_not_flagged(heldout):
    assert heldout["lookalikes"] > 0
    assert heldout["lookalikes_flagged"] == 0


def test_held_out_verdicts_agree_with_the_trainer(heldout):
    assert heldout["verdict_agreement"] >= 0.92


def test_a_malformed_line_is_named(runner, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"scenario": "x", "turn": "t1", "text": "好"}\n', encoding="utf-8")
    result = runner.invoke(args=["scenarios", "evaluate", str(path)])
    assert result.exit_code == 1
    assert "bad.jsonl:1: elements: is required" in result.output

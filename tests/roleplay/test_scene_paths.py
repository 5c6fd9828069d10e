"""Path-aware scene results (pure): the veto, critical turns, and clean vs risky endings."""

import pytest

from trainer.roleplay.library_refs import SCENARIOS_DIR
from trainer.roleplay.scenario_format import parse_scenario
from trainer.roleplay.scoring import Move, scene_result


@pytest.fixture(scope="module")
def queue():
    """bill_payment_queue: t1 typed (6 points), t2 critical choice (10), t3 choice (10)."""
    path = SCENARIOS_DIR / "bill_payment_queue.yaml"
    return parse_scenario(path.read_text(encoding="utf-8"), path.name)


def test_a_clean_run_passes_with_the_clean_ending(queue):
    moves = [Move("t1", 6, 6), Move("t2", 10, 10), Move("t3", 10, 10)]
    result = scene_result(queue, moves, "quick_and_kind")
    assert (result.passed, result.path, result.reasons) == (True, "clean", ())


def test_a_forbidden_phrase_fails_the_scene_whatever_the_points(queue):
    moves = [Move("t1", 4, 6, forbidden=1), Move("t2", 10, 10), Move("t3", 10, 10)]
    result = scene_result(queue, moves, "quick_and_kind")
    assert result.percent >= queue.pass_mark
    assert (result.passed, result.path) == (False, "risky")
    assert "forbidden" in result.reasons


def test_the_programme_may_turn_the_veto_off(queue):
    moves = [Move("t1", 4, 6, forbidden=1), Move("t2", 10, 10), Move("t3", 10, 10)]
    assert scene_result(queue, moves, "quick_and_kind", veto=False).passed


def test_skipping_the_critical_read_back_fails_even_above_the_pass_mark(queue):
    """The issue's case: 65 % and a good ending used to read 情景圆满结束 · 通过."""
    moves = [Move("t1", 6, 6), Move("t2", 3, 10), Move("t3", 10, 10)]
    result = scene_result(queue, moves, "quick_and_kind")
    assert result.percent >= queue.pass_mark
    assert (result.passed, result.path) == (False, "risky")
    assert "critical:t2" in result.reasons


def test_a_weak_but_not_critical_turn_passes_on_the_risky_path(queue):
    moves = [Move("t1", 2, 6), Move("t2", 10, 10), Move("t3", 10, 10)]
    result = scene_result(queue, moves, "quick_and_kind")
    assert (result.passed, result.path, result.reasons) == (True, "risky", ("weak:t1",))


def test_a_bad_ending_is_the_failed_path(queue):
    result = scene_result(queue, [Move("t1", 6, 6), Move("t2", 0, 10)], "argument")
    assert (result.passed, result.path) == (False, "failed")


def test_the_risky_ending_has_its_own_text(queue):
    ending = queue.endings["quick_and_kind"]
    assert ending.risky and ending.risky != ending.text

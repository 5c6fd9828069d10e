"""Scoring is pure: weights × results, the pass mark, and the critical-item veto."""

from trainer.practical.models import ItemResult
from trainer.practical.scoring import score

ITEMS = [
    {"key": "greet", "weight": 10, "critical": False},
    {"key": "id_check", "weight": 30, "critical": True},
    {"key": "read_back", "weight": 20, "critical": True},
    {"key": "phrases", "weight": 40, "critical": False},
]
MET, PARTLY, NOT_MET = ItemResult.MET, ItemResult.PARTLY, ItemResult.NOT_MET


def results(**changes):
    chosen = {item["key"]: MET for item in ITEMS}
    chosen.update(changes)
    return chosen


def test_every_item_met_scores_full_marks():
    outcome = score(ITEMS, results(), 80)
    assert (outcome.score, outcome.max_score, outcome.percent, outcome.passed) == (
        100,
        100,
        100,
        True,
    )


def test_partly_met_earns_half_the_weight_and_not_met_nothing():
    outcome = score(ITEMS, results(greet=PARTLY, phrases=NOT_MET), 50)
    assert (outcome.score, outcome.percent) == (55, 55)


def test_below_the_pass_mark_fails_without_any_critical_failure():
    outcome = score(ITEMS, results(phrases=NOT_MET), 80)
    assert (outcome.percent, outcome.critical_failures, outcome.passed) == (60, (), False)


def test_a_critical_item_not_met_fails_whatever_the_total():
    outcome = score(ITEMS, results(read_back=NOT_MET), 70)
    assert outcome.reached_pass_mark and not outcome.passed
    assert outcome.critical_failures == ("read_back",)


def test_a_critical_item_partly_met_does_not_fail_by_itself():
    outcome = score(ITEMS, results(id_check=PARTLY), 80)
    assert (outcome.percent, outcome.critical_failures, outcome.passed) == (85, (), True)


def test_the_pass_mark_itself_passes():
    outcome = score(ITEMS, results(greet=NOT_MET, phrases=PARTLY), 70)
    assert (outcome.percent, outcome.passed) == (70, True)


def test_percent_is_rounded_to_two_places_over_uneven_weights():
    items = [{"key": k, "weight": 1, "critical": False} for k in "abc"]
    outcome = score(items, {"a": MET, "b": MET, "c": NOT_MET}, 50)
    assert outcome.percent == 66.67

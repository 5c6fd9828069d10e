"""The compliance drills (issue 19): anti-fraud at 补卡, a spouse asking for call records, a
foreign customer, an elderly customer without a smartphone, a 12300 threat on camera. Each is
long enough to practise, lets a clerk repair a bad start, and can end in several ways."""

import pytest

from trainer.roleplay import library_refs
from trainer.roleplay.demo import best_path
from trainer.roleplay.services import check_directory
from trainer.roleplay.validation import next_of, walk_paths

SHIPPED = {spec.key: spec for _file, _source, spec in check_directory(library_refs.SCENARIOS_DIR)}
DRILLS = {
    "fraud_sim_swap_coached": "fraud_check",
    "privacy_spouse_call_records": "records_request",
    "foreign_customer_passport": "open_account",
    "elderly_no_smartphone_payment": "bill_payment",
    "complaint_12300_threat": "escalated_complaint",
}


def outcome(spec, path) -> str:
    turn_key, move = path[-1]
    return spec.endings[next_of(spec.turns[turn_key], move)[1]].outcome


@pytest.mark.parametrize(("key", "procedure"), DRILLS.items())
def test_the_drill_ships_for_its_procedure(key, procedure):
    assert SHIPPED[key].procedure == procedure


@pytest.mark.parametrize("key", DRILLS)
def test_the_good_path_has_at_least_five_turns_with_typed_replies(key):
    spec = SHIPPED[key]
    path = best_path(spec)
    assert len(path) >= 5
    assert sum(move is None for _turn, move in path) >= 2  # the trainee types, not only clicks


@pytest.mark.parametrize("key", DRILLS)
def test_several_endings_good_and_bad(key):
    spec = SHIPPED[key]
    outcomes = [e.outcome for e in spec.endings.values()]
    assert len(outcomes) >= 3 and "good" in outcomes and outcomes.count("bad") >= 2


@pytest.mark.parametrize("key", DRILLS)
def test_a_bad_start_can_be_repaired(key):
    """Some path takes a weaker first reply and still reaches a good ending."""
    spec = SHIPPED[key]
    first = spec.turns[spec.start]
    best = max(c.score for c in first.choices)
    repaired = [
        path
        for path in walk_paths(spec)
        if path[0][1] is not None
        and first.choices[path[0][1]].score < best
        and outcome(spec, path) == "good"
    ]
    assert repaired


@pytest.mark.parametrize("key", DRILLS)
def test_reply_rubrics_name_real_elements_with_spoken_phrasings(key):
    for turn in SHIPPED[key].reply_turns():
        assert len(turn.rubric.elements) >= 3
        for element in turn.rubric.elements:
            assert element.label and element.phrasings
            assert all(len(p) <= 16 for p in element.phrasings), element.phrasings

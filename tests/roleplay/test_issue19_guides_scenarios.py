"""The scenarios added with the hotline, contracts and duty-manager modules (issue 19).

Each is a real drill: at least five turns between the start and a good ending, a way to
repair a bad start (a weaker reply that still leads on to a good ending), several endings,
and no operator's brand number in the text (the library names "客服热线", whatever the
operator's hotline is called).
"""

import re
from collections import deque

import pytest

from trainer.roleplay import library_refs
from trainer.roleplay.scenario_format import parse_scenario
from trainer.roleplay.validation import validate_scenario

SCENARIOS = {
    "duty_outage_queue": ("duty_shift", "counter"),
    "port_out_no_obstruction": ("number_portability", "counter"),
    "hotline_transfer_warm": ("hotline_call", "hotline"),
    "contract_downgrade_penalty": ("contract_change", "counter"),
    "minor_student_new_card": ("assisted_service", "counter"),
    "hearing_impaired_plan_change": ("plan_change", "counter"),
    "hotline_repeat_fault": ("fault_report", "hotline"),
}
BRAND_NUMBERS = re.compile(r"100(86|00|10)|1[3-9]\d{9}")


def scenario(key: str):
    path = library_refs.SCENARIOS_DIR / f"{key}.yaml"
    return parse_scenario(path.read_text(encoding="utf-8"), str(path))


def exits(turn):
    """(next turn, ending, score, best score of the turn) for every way out of `turn`."""
    if turn.kind == "choice":
        best = max(c.score for c in turn.choices)
        return [(c.next, c.ending, c.score, best) for c in turn.choices]
    return [(turn.next, turn.ending, None, None)]


def turns_to_good_ending(sc, start: str) -> int | None:
    """Fewest turns from `start` to a good ending (None when no good ending is reachable)."""
    queue, seen = deque([(start, 1)]), {start}
    while queue:
        key, depth = queue.popleft()
        for nxt, ending, _score, _best in exits(sc.turns[key]):
            if ending and sc.endings[ending].outcome == "good":
                return depth
            if nxt and nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, depth + 1))
    return None


@pytest.mark.parametrize("key", SCENARIOS)
def test_the_scenario_validates_against_the_procedures(key):
    sc = scenario(key)
    assert validate_scenario(sc, library_refs.procedure_steps()) == []
    assert (sc.procedure, sc.channel) == SCENARIOS[key]


@pytest.mark.parametrize("key", SCENARIOS)
def test_a_good_ending_takes_at_least_five_turns(key):
    sc = scenario(key)
    assert len(sc.turns) >= 6
    assert turns_to_good_ending(sc, sc.start) >= 5


@pytest.mark.parametrize("key", SCENARIOS)
def test_a_bad_start_can_be_repaired(key):
    sc = scenario(key)
    repairs = [
        nxt
        for turn in sc.turns.values()
        for nxt, _ending, score, best in exits(turn)
        if nxt and score is not None and score < best and turns_to_good_ending(sc, nxt)
    ]
    assert repairs, "no weaker reply leads on to a good ending"


@pytest.mark.parametrize("key", SCENARIOS)
def test_several_endings_good_and_bad(key):
    outcomes = [e.outcome for e in scenario(key).endings.values()]
    assert outcomes.count("good") >= 1 and outcomes.count("bad") >= 3


@pytest.mark.parametrize("key", SCENARIOS)
def test_every_turn_has_a_reply_or_choices_worth_scoring(key):
    sc = scenario(key)
    replies = [t for t in sc.turns.values() if t.kind == "reply"]
    assert len(replies) >= 2
    for turn in replies:
        assert turn.rubric.max_points >= 5, turn.key
    for turn in sc.turns.values():
        if turn.kind == "choice":
            assert len({c.score for c in turn.choices}) >= 2, turn.key


@pytest.mark.parametrize("key", SCENARIOS)
def test_no_brand_hotline_or_real_looking_number(key):
    text = (library_refs.SCENARIOS_DIR / f"{key}.yaml").read_text(encoding="utf-8")
    assert not BRAND_NUMBERS.search(text)


def test_obstructing_a_port_out_never_ends_well():
    sc = scenario("port_out_no_obstruction")
    for turn in sc.turns.values():
        for choice in turn.choices:
            if choice.ending in ("obstructed", "regulator"):
                assert choice.score == 0, choice.text
                assert sc.endings[choice.ending].outcome == "bad"


def test_the_outage_drill_refuses_cash_on_a_white_slip():
    sc = scenario("duty_outage_queue")
    cash = next(c for c in sc.turns["t3"].choices if "收条" in c.text)
    assert cash.score < max(c.score for c in sc.turns["t3"].choices)
    keep_going = next(c for c in sc.turns["t3_cash"].choices if "先收了" in c.text)
    assert sc.endings[keep_going.ending].outcome == "bad"

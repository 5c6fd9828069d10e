"""The whole scenario library (issue 19): enough drills, deep enough, and the fixes a training
centre asked for hold in the files — a bad choice named below can never reach a passing end."""

import pytest

from tests.roleplay.test_issue19_guides_scenarios import BRAND_NUMBERS, turns_to_good_ending
from trainer.roleplay import library_refs
from trainer.roleplay.scenario_format import parse_scenario
from trainer.roleplay.validation import validate_scenario

PATHS = sorted(library_refs.SCENARIOS_DIR.glob("*.yaml"))


def load(path):
    return parse_scenario(path.read_text(encoding="utf-8"), str(path))


def scenario(key):
    return load(library_refs.SCENARIOS_DIR / f"{key}.yaml")


def best_passing_percent(sc, turn_key, earned=0, possible=0, seen=frozenset()):
    """Best percentage at a good ending over every path from `turn_key` (None: none reachable).

    A typed reply counts at full marks; a choice turn is worth its best choice."""
    if turn_key in seen:
        return None
    turn = sc.turns[turn_key]
    if turn.kind == "reply":
        exits = [(turn.next, turn.ending, turn.rubric.max_points, turn.rubric.max_points)]
    else:
        best = max(c.score for c in turn.choices)
        exits = [(c.next, c.ending, c.score, best) for c in turn.choices]
    results = []
    for nxt, ending, points, worth in exits:
        total, out_of = earned + points, possible + worth
        if ending:
            if sc.endings[ending].outcome == "good":
                results.append(100 * total / out_of)
        else:
            results.append(best_passing_percent(sc, nxt, total, out_of, seen | {turn_key}))
    results = [r for r in results if r is not None]
    return max(results) if results else None


def through_choice(sc, turn_key, text_part):
    """Best passing percentage of a scene whose path picks the choice containing `text_part`."""
    turn = sc.turns[turn_key]
    index = next(i for i, c in enumerate(turn.choices) if text_part in c.text)

    def walk(key, earned, possible, seen):
        if key in seen:
            return None
        current = sc.turns[key]
        if key == turn_key:
            chosen = [current.choices[index]]
        elif current.kind == "choice":
            chosen = current.choices
        else:
            chosen = None
        if chosen is None:
            points = current.rubric.max_points
            moves = [(current.next, current.ending, points, points)]
        else:
            best = max(c.score for c in current.choices)
            moves = [(c.next, c.ending, c.score, best) for c in chosen]
        found = []
        for nxt, ending, points, worth in moves:
            if ending:
                if sc.endings[ending].outcome == "good" and (key == turn_key or turn_key in seen):
                    found.append(100 * (earned + points) / (possible + worth))
            else:
                found.append(walk(nxt, earned + points, possible + worth, seen | {key}))
        found = [f for f in found if f is not None]
        return max(found) if found else None

    return walk(sc.start, 0, 0, frozenset())


def test_the_library_has_enough_deep_scenarios():
    scenarios = [load(p) for p in PATHS]
    assert len(scenarios) >= 24
    deep = [sc.key for sc in scenarios if len(sc.turns) >= 5]
    assert len(deep) >= 10, deep
    steps = library_refs.procedure_steps()
    for sc in scenarios:
        assert validate_scenario(sc, steps) == [], sc.key
        assert best_passing_percent(sc, sc.start) >= sc.pass_mark, sc.key


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_no_brand_hotline_or_real_looking_number(path):
    assert not BRAND_NUMBERS.search(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("key", "turn", "choice"),
    [
        # 挽留只能问一次: a second attempt after a clear refusal
        ("account_closure_retention", "t2", "您再想想"),
        # taking the money without reading the number back
        ("bill_payment_queue", "t2", "不复述号码"),
        # opening a broadband order before checking coverage
        ("broadband_no_coverage", "t1", "我先给您开单"),
        # telling an elderly customer the payment accounts are not our business
        ("sim_replacement_elderly", "t2_accounts", "管不了"),
        # promising a refund before checking the roaming reminder was sent
        ("complaint_roaming_customer_wrong", "t2_reminder", "全免"),
        # a minor registered under someone else's ID
        ("minor_student_new_card", "t1_underage", "同学的身份证"),
    ],
)
def test_a_wrong_move_never_passes(key, turn, choice):
    sc = scenario(key)
    best = through_choice(sc, turn, choice)
    assert best is None or best < sc.pass_mark


def test_an_order_opened_without_checking_coverage_is_told_the_truth_next():
    sc = scenario("broadband_no_coverage")
    skipped = next(c for c in sc.turns["t1"].choices if "开单" in c.text)
    assert "暂未覆盖" in sc.turns[skipped.next].prompt


def test_the_duty_manager_takes_a_handover_before_taking_over():
    sc = scenario("duty_manager_loud_customer")
    takes_over = max(sc.turns["t1"].choices, key=lambda c: c.score)
    handover = sc.turns[takes_over.next]
    assert "交接" in handover.action
    skip = min(handover.choices, key=lambda c: c.score)
    assert skip.score < max(c.score for c in handover.choices)
    assert turns_to_good_ending(sc, sc.start) >= 4


def test_a_lost_phone_means_freezing_payment_accounts_and_checking_the_face():
    sc = scenario("sim_replacement_elderly")
    best = max(sc.turns["t2_accounts"].choices, key=lambda c: c.score)
    for word in ("银行", "微信", "支付宝", "人像"):
        assert word in best.text
    # the good ending is only reachable through the question about payment accounts
    assert through_choice(sc, "t2_accounts", best.text) >= sc.pass_mark
    assert sc.turns["t2"].next == "t2_accounts"


def test_a_roaming_dispute_checks_the_reminder_sms():
    sc = scenario("complaint_roaming_customer_wrong")
    best = max(sc.turns["t2_reminder"].choices, key=lambda c: c.score)
    assert "提醒" in best.text and "查" in best.text
    good_path = next(c for c in sc.turns["t2"].choices if c.score == 10)
    assert good_path.next == "t2_reminder"

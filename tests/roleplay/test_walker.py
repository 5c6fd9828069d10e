"""The scenario walker: every shipped scenario, played through every branch by the real
drill services, ends where the graph says with a consistent score."""

import pytest

from trainer.permissions import Role
from trainer.roleplay import library_refs
from trainer.roleplay.demo import ideal_reply
from trainer.roleplay.services import (
    check_directory,
    choose,
    reply,
    scenario_by_key,
    spec_of,
    start_drill,
)
from trainer.roleplay.validation import next_of, walk_paths

SHIPPED = check_directory(library_refs.SCENARIOS_DIR)
PROCEDURES = (
    "open_account",
    "sim_replacement",
    "bill_payment",
    "plan_change",
    "broadband_install",
    "fault_report",
    "number_portability",
    "account_closure",
    "complaint_handling",
)


def test_at_least_twelve_scenarios_ship_and_every_procedure_has_one():
    assert len(SHIPPED) >= 12
    assert {spec.procedure for _f, _src, spec in SHIPPED} >= set(PROCEDURES)


def test_the_issue_s_situations_are_all_covered():
    tags = {tag for _f, _src, spec in SHIPPED for tag in spec.tags}
    channels = {spec.channel for _f, _src, spec in SHIPPED}
    assert {"值班经理", "首问负责制", "客户有误", "老年客户", "排队"} <= tags
    assert "hotline" in channels


def test_every_model_line_exists_in_the_scripts_library():
    for _file, _source, spec in SHIPPED:
        for turn in spec.reply_turns():
            assert library_refs.step_script(turn.rubric.model).script, turn.rubric.model


@pytest.mark.parametrize("key", [spec.key for _f, _src, spec in SHIPPED])
def test_every_branch_of_the_scenario_plays_to_its_ending(key, loaded, make_user, matcher, db):
    trainee = make_user(Role.TRAINEE)
    scenario = scenario_by_key(key)
    spec = spec_of(scenario.versions[-1])
    paths = list(walk_paths(spec))
    assert paths, "no way through the scene"
    played_turns = set()
    for path in paths:
        session = start_drill(trainee, scenario)
        for position, (turn_key, move) in enumerate(path):
            assert session.current_turn == turn_key
            if move is None:
                step = reply(session, turn_key, position, ideal_reply(spec, turn_key), matcher)
                assert step.points == step.max_points, "the ideal reply must earn full marks"
            else:
                choose(session, turn_key, position, move)
            played_turns.add(turn_key)
        last_turn, last_move = path[-1]
        expected_ending = next_of(spec.turns[last_turn], last_move)[1]
        assert session.state == "finished"
        assert session.ending == expected_ending
        assert session.outcome == spec.endings[expected_ending].outcome
        assert session.earned == sum(s.points for s in session.steps)
        assert session.max_points == sum(s.max_points for s in session.steps)
        critical_handled = all(
            100 * s.points >= spec.pass_mark * s.max_points
            for s in session.steps
            if spec.turns[s.turn_key].critical
        )
        assert session.passed == (
            session.outcome == "good" and session.percent >= spec.pass_mark and critical_handled
        )
    assert played_turns == set(spec.turns), "some turn was never reached"
    outcomes = {p[-1] for p in paths}
    assert len(outcomes) >= 2
    db.session.rollback()


@pytest.mark.parametrize("key", [spec.key for _f, _src, spec in SHIPPED])
def test_the_best_path_passes_and_a_bad_ending_never_does(key):
    spec = next(s for _f, _src, s in SHIPPED if s.key == key)
    endings = {next_of(spec.turns[p[-1][0]], p[-1][1])[1] for p in walk_paths(spec)}
    assert {spec.endings[e].outcome for e in endings} == {"good", "bad"}

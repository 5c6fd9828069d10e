"""Parsing and validating scenario files: every problem located by file, line and field."""

import pytest

from trainer.roleplay.library_refs import procedure_steps
from trainer.roleplay.scenario_format import ScenarioFileError, parse_scenario
from trainer.roleplay.validation import validate_scenario, walk_paths

KNOWN = {"complaint_handling": {"apologise", "escalate_to_duty_manager"}}

VALID = """\
key: sample
title: 示例
procedure: complaint_handling
persona: {name: 王先生}
situation: 营业厅。
start: t1
turns:
  t1:
    kind: choice
    customer: 你们乱扣费！
    choices:
      - {text: 我帮您查一下。, score: 10, feedback: 好。, next: t2}
      - {text: 没办法。, score: 0, feedback: 禁语。, ending: bad}
  t2:
    kind: reply
    customer: 查吧！
    rubric:
      model: complaint_handling.apologise
      elements:
        - {key: apologise, label: 致歉, weight: 2, phrasings: [对不起, 抱歉]}
    ending: good
endings:
  good: {outcome: good, text: 满意。}
  bad: {outcome: bad, text: 投诉。}
"""


def problems_of(text: str) -> list[str]:
    try:
        spec = parse_scenario(text, "s.yaml")
    except ScenarioFileError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in validate_scenario(spec, KNOWN)]


def test_a_valid_scenario_has_no_problems():
    assert problems_of(VALID) == []


def test_a_reply_turn_without_rubric_is_reported_at_its_line():
    text = VALID.replace(
        "    rubric:\n      model: complaint_handling.apologise\n      elements:\n"
        "        - {key: apologise, label: 致歉, weight: 2, phrasings: [对不起, 抱歉]}\n",
        "",
    )
    assert problems_of(text) == ["s.yaml:14: turns.t2.rubric: a reply turn needs a rubric"]


def test_an_unknown_step_reference_names_the_model_field():
    text = VALID.replace("complaint_handling.apologise", "complaint_handling.smile")
    assert problems_of(text) == [
        "s.yaml:18: turns.t2.rubric.model: procedure 'complaint_handling' has no step 'smile'"
    ]


def test_an_unknown_procedure_is_reported():
    text = VALID.replace("procedure: complaint_handling", "procedure: karaoke")
    assert problems_of(text) == ["s.yaml:3: procedure: unknown procedure 'karaoke'"]


def test_a_turn_nothing_leads_to_is_unreachable():
    text = VALID.replace(
        "endings:\n",
        "  orphan:\n    kind: reply\n    customer: 喂？\n"
        "    rubric:\n      model: complaint_handling.apologise\n"
        "      elements: [{key: a, label: A, phrasings: [好]}]\n"
        "    ending: good\nendings:\n",
    )
    assert problems_of(text) == ["s.yaml:22: turns.orphan: unreachable from the start turn"]


def test_a_choice_without_next_or_ending_is_a_dead_end():
    text = VALID.replace(", next: t2}", "}")
    problems = problems_of(text)
    assert "s.yaml:12: turns.t1.choices[0]: dead end: give next (a turn) or ending" in problems
    assert "s.yaml:14: turns.t2: unreachable from the start turn" in problems


def test_a_next_naming_no_turn_is_reported():
    text = VALID.replace("next: t2", "next: t9")
    assert "s.yaml:12: turns.t1.choices[0].next: unknown turn 't9'" in problems_of(text)


def test_a_loop_without_a_way_out_is_reported():
    text = VALID.replace("    ending: good\nendings", "    next: t1\nendings").replace(
        "ending: bad}", "next: t2}"
    )
    problems = problems_of(text)
    assert "s.yaml:8: turns.t1: every way on from here loops without reaching an ending" in problems
    assert "s.yaml:23: endings.good: no reachable turn leads to this ending" in problems


def test_yaml_syntax_errors_carry_the_line():
    assert problems_of(VALID.replace("title: 示例", "title: [示例"))[0].startswith("s.yaml:3:")


def test_duplicate_keys_are_reported():
    text = VALID.replace("title: 示例\n", "title: 示例\ntitle: 又一个\n")
    assert problems_of(text) == ["s.yaml:3: title: duplicate key"]


def test_missing_fields_and_bad_weights_are_all_reported_at_once():
    text = VALID.replace("persona: {name: 王先生}\n", "").replace("weight: 2", "weight: 0")
    assert problems_of(text) == [
        "s.yaml:1: persona: must be a mapping with name and description",  # missing: top of file
        "s.yaml:19: turns.t2.rubric.elements[0].weight: must be a whole number from 1 to 20",
    ]


def test_walk_paths_lists_every_branch_to_an_ending():
    spec = parse_scenario(VALID, "s.yaml")
    assert list(walk_paths(spec)) == [[("t1", 0), ("t2", None)], [("t1", 1)]]


def test_the_shipped_procedures_provide_the_steps_scenarios_refer_to():
    steps = procedure_steps()
    assert "apologise" in steps["complaint_handling"]
    assert steps["complaint_handling"]["apologise"].script


@pytest.mark.parametrize("kind", ["choice", "reply"])
def test_a_turn_of_one_kind_rejects_the_other_kinds_fields(kind):
    if kind == "choice":
        text = VALID.replace("    kind: choice\n", "    kind: choice\n    next: t2\n")
        assert "s.yaml:8: turns.t1: a choice turn leads on through its choices only" in (
            problems_of(text)
        )
    else:
        text = VALID.replace("    kind: reply\n", "    kind: reply\n    choices: []\n")
        assert "s.yaml:16: turns.t2.choices: a reply turn has a rubric, not choices" in (
            problems_of(text)
        )

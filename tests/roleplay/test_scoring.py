"""Free-text scoring with the real phrase engine: known replies, known findings."""

import pytest

from trainer.roleplay.library_refs import SCENARIOS_DIR
from trainer.roleplay.scenario_format import parse_scenario
from trainer.roleplay.scoring import ReplyPoints, highlight_segments, reply_points, score_reply


@pytest.fixture(scope="module")
def rubric():
    """The complaint scene's first typed turn: 致歉2 复述2 下一步2 稍候1, penalty 3."""
    path = SCENARIOS_DIR / "complaint_overcharge_escalation.yaml"
    return parse_scenario(path.read_text(encoding="utf-8"), path.name).turns["t2"].rubric


def elements(findings):
    return {
        e["key"]: (e["found"], e["matched"], e["start"], e["end"]) for e in findings["elements"]
    }


def forbidden(findings):
    return [(f["phrase"], f["matched"], f["start"], f["end"]) for f in findings["forbidden"]]


def test_a_complete_polite_reply_finds_every_element_where_it_is(rubric, matcher):
    findings = score_reply("对不起，这三十块钱我马上帮您查一下，请稍等。", rubric, matcher)
    assert elements(findings) == {
        "apologise": (True, "对不起", 0, 3),
        "restate": (True, "三十", 5, 7),
        "next_step": (True, "帮您查", 12, 15),
        "reassure": (True, "请稍等", 18, 21),
    }
    assert forbidden(findings) == []
    assert reply_points(findings) == ReplyPoints(
        earned=7,
        max=7,
        penalty=0,
        found=("apologise", "restate", "next_step", "reassure"),
        missing=(),
    )


def test_forbidden_phrases_are_found_at_their_exact_offsets_and_penalised(rubric, matcher):
    findings = score_reply("不知道扣的什么，没办法，你找领导去。", rubric, matcher)
    assert forbidden(findings) == [
        ("不知道", "不知道", 0, 3),
        ("没办法", "没办法", 8, 11),
        ("找领导去", "找领导去", 13, 17),
    ]
    assert findings["forbidden"][2]["alternative"] == "我请值班经理来为您处理。"
    points = reply_points(findings)
    assert (points.earned, points.penalty) == (0, 9)  # three phrases × 3 points, never below 0


def test_a_forbidden_phrase_inside_an_allowed_context_is_not_flagged(rubric, matcher):
    findings = score_reply("您不知道的话，我来帮您查一下，请稍等。", rubric, matcher)
    assert forbidden(findings) == []
    assert elements(findings)["next_step"] == (True, "帮您查", 9, 12)


def test_spaces_and_traditional_characters_still_match_with_offsets_in_the_typed_text(
    rubric, matcher
):
    text = "對不起，我 不 知 道。"  # the variant 我不知道 is the outermost match
    findings = score_reply(text, rubric, matcher)
    assert elements(findings)["apologise"] == (True, "對不起", 0, 3)
    assert forbidden(findings) == [("不知道", "我 不 知 道", 4, 11)]


def test_missing_elements_are_listed_and_cost_their_weight(rubric, matcher):
    findings = score_reply("好的，稍等。", rubric, matcher)
    points = reply_points(findings)
    assert points.missing == ("apologise", "restate", "next_step")
    assert (points.earned, points.max) == (1, 7)


def test_a_trainers_override_counts_in_both_directions(rubric, matcher):
    findings = score_reply("好的，稍等。", rubric, matcher)
    assert reply_points(findings, {"apologise": True}).earned == 3
    assert reply_points(findings, {"reassure": False}).earned == 0


def test_highlight_segments_cut_the_reply_at_the_findings():
    text = "不知道，没办法"
    found = [{"start": 0, "end": 3, "alternative": "A"}, {"start": 4, "end": 7, "alternative": "B"}]
    pieces = [(p["text"], p["flagged"]) for p in highlight_segments(text, found)]
    assert pieces == [("不知道", True), ("，", False), ("没办法", True)]


def test_overlapping_findings_merge_into_one_highlight():
    found = [{"start": 0, "end": 4, "alternative": "A"}, {"start": 1, "end": 3, "alternative": "B"}]
    pieces = highlight_segments("这不归我管啊", found)
    assert [(p["text"], p["flagged"], len(p["findings"])) for p in pieces] == [
        ("这不归我", True, 2),
        ("管啊", False, 0),
    ]

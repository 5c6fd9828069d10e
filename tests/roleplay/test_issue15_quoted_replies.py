"""The replies quoted in issue 15 score as a trainer would (`trainer scenarios score`)."""

import json

import pytest


def score(runner, scenario: str, turn: str, text: str) -> dict:
    result = runner.invoke(args=["scenarios", "score", scenario, turn, text])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize(
    ("scenario", "turn", "text", "present"),
    [
        ("complaint_overcharge_escalation", "t2", "调出账单明细，逐条给您核对", {"next_step"}),
        ("fault_report_first_inquiry", "t2", "我这就给您报修", {"next_step"}),
        (
            "broadband_no_coverage",
            "t2",
            "把您的地址和电话记下，一通网就打电话告诉您",
            {"register", "notify"},
        ),
        ("bill_payment_queue", "t1", "我立刻给您办", {"act_now"}),
        ("plan_change_hotline", "t1", "您好", set()),
    ],
)
def test_a_natural_reply_earns_the_elements_it_conveys(runner, scenario, turn, text, present):
    result = score(runner, scenario, turn, text)
    assert {k for k, found in result["elements"].items() if found} == present


def test_blaming_the_system_is_a_forbidden_phrase_and_fails_the_reply(runner):
    result = score(
        runner, "complaint_overcharge_escalation", "t2", "扣费是系统扣的，抱歉，稍等我查一下"
    )
    assert [f["matched"] for f in result["forbidden"]] == ["是系统扣的"]
    assert result["verdict"] == "fail"


def test_rules_are_rules_earns_no_rule_element_and_fails(runner):
    result = score(runner, "open_account_id_copy", "t2", "规定就是规定…你带身份证过来再说")
    assert result["elements"]["rule"] is False
    assert [f["phrase"] for f in result["forbidden"]] == ["规定就是规定"]
    assert result["verdict"] == "fail"


def test_the_contract_object_has_every_element_key_and_field(runner):
    result = score(runner, "bill_payment_queue", "t1", "急什么，号码多少")
    assert set(result) == {
        "elements",
        "confidence",
        "forbidden",
        "points",
        "max",
        "verdict",
        "needs_review",
    }
    assert (
        set(result["elements"]) == set(result["confidence"]) == {"sorry_wait", "act_now", "number"}
    )
    assert result["forbidden"] == [
        {
            "phrase": "急什么",
            "matched": "急什么",
            "start": 0,
            "end": 3,
            "alternative": "让您久等了，我会尽快为您办理。",
        }
    ]
    assert result["verdict"] == "fail"


@pytest.mark.parametrize(
    ("text", "phrase_count"),
    [("你去找领导去吧", 1), ("这是规定我也没办法", 1)],
)
def test_overlapping_matches_are_one_finding(runner, text, phrase_count):
    result = score(runner, "bill_payment_queue", "t1", text)
    assert len(result["forbidden"]) == phrase_count


@pytest.mark.parametrize(
    "text",
    [
        "您不清楚的话我再讲一遍",
        "有不清楚的您随时问我",
        "现在没办法立即到账",
        "不知道也没关系，我来教您",
        "我们下班了也会给您回电话",
        "这种情况不可能是您的原因",
    ],
)
def test_the_quoted_look_alikes_are_not_flagged(runner, text):
    assert score(runner, "bill_payment_queue", "t1", text)["forbidden"] == []


@pytest.mark.parametrize(
    "text", ["有意见你去投诉好了", "您自己去看吧", "你去隔壁窗口问吧", "这事你打客服电话去"]
)
def test_the_quoted_misses_are_flagged(runner, text):
    assert len(score(runner, "bill_payment_queue", "t1", text)["forbidden"]) == 1

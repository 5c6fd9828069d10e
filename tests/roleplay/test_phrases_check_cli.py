"""`trainer phrases check --scenario ID TEXT` reports the scenario's required elements too."""

import json


def test_phrases_check_reports_the_scenarios_required_elements(runner, loaded, phrases_in_db):
    result = runner.invoke(
        args=[
            "phrases",
            "check",
            "--scenario",
            "complaint_overcharge_escalation",
            "对不起，我不知道这三十块是什么。",
        ]
    )
    report = json.loads(result.output)
    assert result.exit_code == 3  # a forbidden phrase was used
    assert report["forbidden"] == [
        {
            "phrase": "不知道",
            "matched": "我不知道",
            "start": 4,
            "end": 8,
            "alternative": "请稍等，我帮您查询一下。",
        }
    ]
    required = {item["element"]: item["matched"] for item in report["required"]}
    assert required["致歉"] == "对不起"
    assert required["复述问题"] == "三十"
    assert required["说明下一步"] is None
    assert "说明客户诉求" in required  # the second typed turn's elements are there too


def test_phrases_check_with_an_unknown_scenario_is_a_usage_error(runner, db):
    result = runner.invoke(args=["phrases", "check", "--scenario", "nope", "您好"])
    assert result.exit_code == 2
    assert "unknown scenario" in result.output

"""The engine over the database: the shipped phrases, caching per version, CLI, checker page."""

import json

import yaml
from sqlalchemy import select

from trainer import ROOT
from trainer.permissions import Role
from trainer.phrases.engine import PhraseMatcher, PhraseRule
from trainer.phrases.highlight import highlight_segments
from trainer.phrases.models import ForbiddenPhrase
from trainer.phrases.services import check_reply, current_matcher
from trainer.roleplay.services import required_elements_for_scenario


def test_matcher_is_built_once_per_phrase_set_version(db, library):
    first = current_matcher()
    assert current_matcher() is first
    phrase = db.session.scalar(select(ForbiddenPhrase).where(ForbiddenPhrase.key == "hurry_up"))
    phrase.variants = [*phrase.variants, "麻利点"]
    phrase.version += 1
    db.session.commit()
    rebuilt = current_matcher()
    assert rebuilt is not first
    assert [f.rule_key for f in rebuilt.scan("麻利点")] == ["hurry_up"]


def test_shipped_phrases_catch_the_article_examples(library):
    text = "這不歸我管，你問我，我問誰？有意見去投訴！"
    found = check_reply(text).forbidden
    assert [f.rule_key for f in found] == ["not_my_job", "ask_whom", "go_complain"]
    assert all(text[f.start : f.end] == f.matched for f in found)


def test_shipped_allowed_context_is_respected(library):
    assert check_reply("您不知道的话，我来帮您查").clean
    assert not check_reply("我不知道").clean


def test_next_month_is_not_a_rude_call_for_the_next_customer(library):
    assert check_reply("新套餐从下一个月开始生效").clean
    assert [f.rule_key for f in check_reply("下一个！").forbidden] == ["next_one"]


def run_check(runner, *args):
    result = runner.invoke(args=["phrases", "check", *args])
    return result, json.loads(result.output.strip().splitlines()[-1])


def test_cli_prints_the_json_contract_and_exits_3(runner, library):
    text = "先生，說了多少遍了"
    result, data = run_check(runner, text)
    assert result.exit_code == 3
    assert data == {
        "forbidden": [
            {
                "phrase": "说了多少遍了",
                "matched": "說了多少遍了",
                "start": 3,
                "end": 9,
                "alternative": "我再给您详细说明一下，哪里不明白您随时问我。",
            }
        ],
        "required": [],
        "clean": False,
    }
    assert text[3:9] == data["forbidden"][0]["matched"]


def test_cli_exits_0_when_clean(runner, library):
    result, data = run_check(runner, "您好，请问有什么可以帮您？")
    assert result.exit_code == 0
    assert data == {"forbidden": [], "required": [], "clean": True}


def test_cli_reports_spaced_and_zero_width_matches_with_original_offsets(runner, library):
    text = "我 不\u200b知 道"
    result, data = run_check(runner, text)
    assert result.exit_code == 3
    [finding] = data["forbidden"]
    assert text[finding["start"] : finding["end"]] == finding["matched"] == text


def test_highlight_shows_overlapping_phrases_as_one_flagged_run():
    matcher = PhraseMatcher(
        [PhraseRule("a", "不知道", alternative="x"), PhraseRule("b", "知道了吧", alternative="y")]
    )
    text = "我不知道了吧。"
    segments = highlight_segments(text, matcher.scan(text))
    assert [(s.text, s.findings) for s in segments] == [
        ("我", ()),
        ("不知道了吧", (1,)),
        ("。", ()),
    ]


def test_checker_page_highlights_and_shows_the_alternative(client, login_as, make_user, library):
    login_as(make_user(Role.TRAINEE))
    assert client.get("/phrases/check").status_code == 200
    html = client.post("/phrases/check", data={"text": "快点签字"}).get_data(as_text=True)
    assert '<mark class="forbidden-mark"' in html
    assert "您慢慢来，不着急" in html


def test_checker_page_escapes_what_was_pasted(client, login_as, make_user, library):
    login_as(make_user(Role.MENTOR))
    html = client.post("/phrases/check", data={"text": "<script>alert(1)</script>不知道"}).get_data(
        as_text=True
    )
    assert "<script>alert(1)</script>" not in html


def test_phrase_list_is_open_to_every_user(client, login_as, make_user, library):
    login_as(make_user(Role.ADMIN))
    html = client.get("/phrases").get_data(as_text=True)
    assert "推诿" in html and "请稍等，我帮您查询一下。" in html


def test_cli_unknown_scenario_is_a_usage_error(runner, library):
    result = runner.invoke(args=["phrases", "check", "--scenario", "no_such_scenario", "您好"])
    assert result.exit_code == 2
    assert "no_such_scenario" in result.output


def test_cli_with_a_scenario_reports_its_required_elements(runner, library):
    first_file = sorted((ROOT / "scripts_library" / "scenarios").glob("*.yaml"))[0]
    scenario = yaml.safe_load(first_file.read_text(encoding="utf-8"))["key"]
    elements = required_elements_for_scenario(scenario)
    result, data = run_check(runner, "--scenario", scenario, "您好")
    assert result.exit_code == 0
    assert [item["element"] for item in data["required"]] == [e.label for e in elements]
    assert all(set(item) == {"element", "found", "matched"} for item in data["required"])

"""The phrase engine against real typing: widths, spaces, zero-width, traditional, case."""

import pytest

from trainer.phrases.engine import (
    Findings,
    PhraseMatcher,
    PhraseRule,
    RequiredElement,
    check,
    match_elements,
    normalise,
)

RULES = [
    PhraseRule(
        "dont_know",
        "不知道",
        ("我不知道",),
        "推诿",
        "把问题推回给客户",
        "请稍等，我帮您查询一下",
        ("您不知道的话", "不知道的话我来帮您查", "不知道也没关系"),
    ),
    PhraseRule(
        "not_my_job",
        "这不归我管",
        ("不归我管", "这不是我管的"),
        "推诿",
        "违反首问负责制",
        "这个问题我来帮您联系负责的同事",
    ),
    PhraseRule(
        "said_many_times",
        "说了多少遍了",
        ("说过多少遍",),
        "顶撞",
        "指责客户",
        "我再给您详细说明一下",
    ),
    PhraseRule("hurry", "快点", (), "催促", "催促客户", "请您慢慢来，不着急"),
    PhraseRule("what_hurry", "急什么", (), "顶撞", "嫌客户着急", "请您稍等，马上为您办理"),
    PhraseRule(
        "ask_whom", "你问我，我问谁", ("你问我我问谁",), "顶撞", "推诿且顶撞", "我帮您确认一下"
    ),
    PhraseRule(
        "complain",
        "有意见去投诉",
        ("有意见就去投诉",),
        "顶撞",
        "激化矛盾",
        "非常抱歉给您带来不便，您的意见我马上记录并反馈",
    ),
    PhraseRule("unclear", "不清楚", (), "推诿", "推脱", "我帮您核实一下", ("您有不清楚的地方",)),
    PhraseRule(
        "app", "APP上自己看", ("自己看",), "冷漠", "把客户推给自助渠道", "我来一步步教您在APP上操作"
    ),
]


@pytest.fixture(scope="module")
def matcher():
    return PhraseMatcher(RULES)


def keys(findings):
    return [f.rule_key for f in findings]


def assert_offsets_point_at_original(text, findings):
    for finding in findings:
        assert text[finding.start : finding.end] == finding.matched


# ---- plain matches ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("这不归我管", ["not_my_job"]),
        ("说了多少遍了，看清楚", ["said_many_times"]),
        ("你快点", ["hurry"]),
        ("急什么呀", ["what_hurry"]),
        ("有意见去投诉吧", ["complain"]),
        ("我不清楚", ["unclear"]),
    ],
)
def test_plain_phrases_are_found(matcher, text, expected):
    assert keys(matcher.scan(text)) == expected


def test_a_polite_reply_is_clean(matcher):
    assert matcher.scan("您好，请问有什么可以帮您？请稍等，我帮您查询一下。") == []


def test_finding_carries_phrase_alternative_and_category(matcher):
    [finding] = matcher.scan("这不归我管")
    assert finding.phrase == "这不归我管"
    assert finding.alternative == "这个问题我来帮您联系负责的同事"
    assert finding.category == "推诿"
    assert (finding.start, finding.end, finding.matched) == (0, 5, "这不归我管")


def test_offsets_count_from_the_start_of_the_original_text(matcher):
    text = "先生您好，这个嘛，这不归我管。"
    [finding] = matcher.scan(text)
    assert (finding.start, finding.end) == (9, 14)


# ---- widths, spaces, zero-width --------------------------------------------------------


def test_full_width_punctuation_matches_half_width_pattern(matcher):
    text = "你问我，我问谁"
    assert keys(matcher.scan(text)) == ["ask_whom"]


def test_half_width_comma_matches_full_width_pattern(matcher):
    text = "你问我,我问谁"
    [finding] = matcher.scan(text)
    assert finding.matched == text


def test_full_width_latin_letters_match(matcher):
    text = "ＡＰＰ上自己看"
    [finding] = [f for f in matcher.scan(text) if f.rule_key == "app"]
    assert finding.matched == text


def test_spaces_between_characters_still_match(matcher):
    text = "我 不 知 道"
    [finding] = matcher.scan(text)
    assert finding.rule_key == "dont_know"
    assert finding.matched == "我 不 知 道"
    assert (finding.start, finding.end) == (0, 7)


def test_ideographic_space_and_newline_are_ignored(matcher):
    text = "这不\u3000归我\n管"
    [finding] = matcher.scan(text)
    assert finding.matched == text


def test_zero_width_space_inside_a_phrase(matcher):
    text = "不\u200b知道"
    [finding] = matcher.scan(text)
    assert (finding.start, finding.end) == (0, 4)
    assert finding.matched == text


@pytest.mark.parametrize("joiner", ["\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_other_invisible_joiners_are_ignored(matcher, joiner):
    text = f"快{joiner}点"
    assert keys(matcher.scan(text)) == ["hurry"]


def test_offsets_after_invisible_characters_are_original_offsets(matcher):
    text = "\u200b\u200b您好 ，急 什 么"
    [finding] = matcher.scan(text)
    assert text[finding.start : finding.end] == "急 什 么"


# ---- traditional characters ------------------------------------------------------------


def test_traditional_characters_match_simplified_phrase(matcher):
    text = "這不歸我管"
    [finding] = matcher.scan(text)
    assert finding.rule_key == "not_my_job"
    assert finding.matched == "這不歸我管"


def test_traditional_said_many_times(matcher):
    text = "我都說了多少遍了"
    [finding] = matcher.scan(text)
    assert finding.rule_key == "said_many_times"
    assert finding.matched == "說了多少遍了"
    assert (finding.start, finding.end) == (2, 8)


def test_traditional_with_spaces_and_full_width(matcher):
    text = "有 意見 去 投訴！"
    [finding] = matcher.scan(text)
    assert finding.matched == "有 意見 去 投訴"


def test_patterns_written_in_traditional_match_simplified_text():
    matcher = PhraseMatcher([PhraseRule("t", "說了多少遍了", alternative="x")])
    assert keys(matcher.scan("说了多少遍了")) == ["t"]


# ---- case ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["app上自己看", "App上自己看", "aPp上自己看"])
def test_latin_letters_in_any_case(matcher, text):
    assert "app" in keys(matcher.scan(text))


# ---- allowed contexts (false positives that must not be flagged) -----------------------


@pytest.mark.parametrize(
    "text",
    [
        "您不知道的话，我来帮您查",
        "您不 知道的话，我来帮您查",
        "不知道的话我来帮您查",
        "您不知道也没关系，我给您讲",
        "您有不清楚的地方随时问我",
        "您不知道的話，我來幫您查",
    ],
)
def test_phrase_inside_an_allowed_context_is_not_flagged(matcher, text):
    assert matcher.scan(text) == []


def test_same_phrase_outside_the_context_in_the_same_reply_is_flagged(matcher):
    text = "您不知道的话，我来帮您查。我不知道"
    [finding] = matcher.scan(text)
    assert finding.matched == "我不知道"
    assert finding.start == text.rindex("我不知道")


def test_bare_phrase_is_flagged_even_though_it_has_contexts(matcher):
    assert keys(matcher.scan("我不知道")) == ["dont_know"]


def test_context_of_another_rule_does_not_suppress(matcher):
    # "您有不清楚的地方" is an allowed context of 不清楚 only.
    matcher2 = PhraseMatcher([PhraseRule("a", "不清", alternative="x"), *RULES])
    assert "a" in keys(matcher2.scan("您有不清楚的地方"))


# ---- overlaps --------------------------------------------------------------------------


def test_overlapping_phrases_of_different_rules_merge_into_one_finding_named_by_the_longest():
    matcher = PhraseMatcher(
        [
            PhraseRule("a", "不知道", alternative="x"),
            PhraseRule("b", "知道了吧", alternative="y"),
        ]
    )
    text = "不知道了吧"
    found = matcher.scan(text)
    assert keys(found) == ["b"]
    assert [(f.start, f.end, f.alternative) for f in found] == [(0, 5, "y")]


def test_separate_phrases_stay_separate_findings():
    matcher = PhraseMatcher(
        [PhraseRule("a", "不知道", alternative="x"), PhraseRule("b", "快点", alternative="y")]
    )
    assert keys(matcher.scan("不知道，快点")) == ["a", "b"]


def test_a_gapped_wording_matches_within_one_clause_only():
    matcher = PhraseMatcher([PhraseRule("a", "你去…问", alternative="x")])
    assert [f.matched for f in matcher.scan("你去隔壁窗口问吧")] == ["你去隔壁窗口问"]
    assert matcher.scan("你去过那里吗？我问一下") == []


def test_a_gapped_allowed_context_removes_the_finding_it_covers():
    matcher = PhraseMatcher(
        [PhraseRule("a", "找…去", alternative="x", allowed_contexts=("我…找…去",))]
    )
    assert keys(matcher.scan("你找领导去")) == ["a"]
    assert matcher.scan("我马上找装维去") == []


def test_phrase_and_its_longer_variant_report_once(matcher):
    text = "我不知道"
    [finding] = matcher.scan(text)
    assert finding.matched == "我不知道"


def test_a_phrase_nested_in_another_rules_phrase_is_reported_once_as_the_longer():
    matcher = PhraseMatcher(
        [
            PhraseRule("outer", "自己看墙上", alternative="x"),
            PhraseRule("inner", "自己看", alternative="y"),
        ]
    )
    assert keys(matcher.scan("你自己看墙上")) == ["outer"]


def test_repeated_phrase_reported_each_time(matcher):
    text = "快点快点"
    found = matcher.scan(text)
    assert [(f.start, f.end) for f in found] == [(0, 2), (2, 4)]


# ---- offsets survive expansion (NFKC turning one char into several) ------------------


def test_nfkc_expanding_character_keeps_offsets():
    matcher = PhraseMatcher([PhraseRule("ltd", "(株)", alternative="x")])
    text = "某某㈱公司"
    [finding] = matcher.scan(text)
    assert finding.matched == "㈱"
    assert (finding.start, finding.end) == (2, 3)


def test_every_offset_slices_back_to_matched(matcher):
    text = "ＡＰＰ上 自己看！這不歸我管，說了多少遍了，快\u200b点"
    found = matcher.scan(text)
    assert keys(found) == ["app", "not_my_job", "said_many_times", "hurry"]
    assert_offsets_point_at_original(text, found)


# ---- required elements -----------------------------------------------------------------

ELEMENTS = [
    RequiredElement("greet", "问候", ("您好", "你好")),
    RequiredElement("verify", "核对身份证件", ("身份证", "证件")),
    RequiredElement("thanks", "致谢", ("谢谢",)),
]


def test_required_elements_found_and_missing():
    text = "您好，请出示您的身 份 證。"
    found = match_elements(text, ELEMENTS)
    assert [(e.key, e.found) for e in found] == [
        ("greet", True),
        ("verify", True),
        ("thanks", False),
    ]
    assert found[1].matched == "身 份 證"
    assert text[found[1].start : found[1].end] == "身 份 證"
    assert found[2].matched is None and found[2].start is None


def test_earliest_phrasing_of_an_element_is_reported():
    [finding] = match_elements("请出示证件，就是身份证", [ELEMENTS[1]])
    assert finding.matched == "证件"


# ---- Findings and the CLI JSON shape ---------------------------------------------------


def test_check_combines_forbidden_and_required(matcher):
    findings = check("你好，我不知道", matcher, ELEMENTS[:1])
    assert isinstance(findings, Findings)
    assert findings.to_dict() == {
        "forbidden": [
            {
                "phrase": "不知道",
                "matched": "我不知道",
                "start": 3,
                "end": 7,
                "alternative": "请稍等，我帮您查询一下",
            }
        ],
        "required": [{"element": "问候", "found": True, "matched": "你好"}],
        "clean": False,
    }


def test_clean_reply_with_missing_element_is_clean_but_incomplete(matcher):
    findings = check("您好", matcher, ELEMENTS)
    assert findings.clean
    assert not findings.complete
    assert [e.key for e in findings.missing] == ["verify", "thanks"]


def test_empty_rule_set_and_empty_text():
    assert PhraseMatcher([]).scan("我不知道") == []
    assert PhraseMatcher(RULES).scan("") == []


def test_normalise_maps_each_character_back():
    norm = normalise("Ａ b\u200b說")
    assert norm.text == "ab说"
    assert [norm.span(i, i + 1)[0] for i in range(3)] == [0, 2, 4]


def test_normalise_keeps_identity_map_when_nothing_is_dropped():
    norm = normalise("你問我，我問誰")
    assert norm.text == "你问我,我问谁"
    assert norm.edits == ()


def test_word_dependent_traditional_character_uses_phrase_conversion():
    matcher = PhraseMatcher([PhraseRule("dry", "干净", alternative="x")])
    assert keys(matcher.scan("桌子很乾淨")) == ["dry"]


def test_offsets_after_an_expanding_ellipsis_and_spaces():
    matcher = PhraseMatcher([PhraseRule("k", "快点", alternative="x")])
    text = "嗯……您 快 点……"
    [finding] = matcher.scan(text)
    assert finding.matched == "快 点"
    assert (finding.start, finding.end) == (5, 8)

"""Properties of the engine on arbitrary typing: offsets always slice back to the match."""

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.phrases.engine import PhraseMatcher, PhraseRule, normalise_pattern

RULES = [
    PhraseRule("a", "不知道", ("我不知道",), alternative="x", allowed_contexts=("您不知道的话",)),
    PhraseRule("b", "这不归我管", alternative="y"),
    PhraseRule("c", "APP上自己看", ("自己看",), alternative="z"),
    PhraseRule("d", "(株)", alternative="w"),
]
MATCHER = PhraseMatcher(RULES)
PATTERNS = {
    rule.key: {normalise_pattern(p) for p in (rule.phrase, *rule.variants)} for rule in RULES
}
ALPHABET = list("不知道我这归管您的话自己看上appAPPＡＰＰ這歸㈱株() \u200b\u3000\t，,")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_every_finding_slices_back_to_its_match_and_is_a_pattern(text):
    for finding in MATCHER.scan(text):
        assert text[finding.start : finding.end] == finding.matched
        assert normalise_pattern(finding.matched) in PATTERNS[finding.rule_key]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([" ", "\u200b", "\u3000", ""]), min_size=2, max_size=2))
def test_invisible_characters_between_letters_never_hide_a_phrase(gaps):
    text = f"不{gaps[0]}知{gaps[1]}道"
    assert [f.rule_key for f in MATCHER.scan(text)] == ["a"]

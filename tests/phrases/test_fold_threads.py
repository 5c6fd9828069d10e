"""The fold cache under threads (issue 13): the first time a full-width or traditional
character is seen, every thread scanning a reply with it still finds the forbidden phrase.

Each round starts from an empty cache, so every character of the replies is new and the
threads learn it at the same moment: the situation in which a reader used to see a character
as known before the expressions that fold it had been rebuilt.
"""

import sys
import threading

import pytest

from trainer.phrases import engine
from trainer.phrases.engine import PhraseMatcher, PhraseRule, normalise

RULES = [
    PhraseRule("not_my_job", "这不归我管", alternative="我来帮您联系负责的同事"),
    PhraseRule("ask_leader", "找领导去", alternative="我请值班经理来为您处理"),
    PhraseRule("what_hurry", "急什么", alternative="请您稍等，马上为您办理"),
    PhraseRule("dont_know", "不知道", alternative="请稍等，我帮您查询一下"),
]
# Traditional, full-width, spaced and zero-width spellings of the phrases above.
REPLIES = [
    "先生，這不歸我管。",
    "有意見您找領導去！",
    "急　什　麼，排隊",
    "ＯＫ，不\u200b知\u200b道",
    "這　不　歸　我　管",
    "您找領導去吧",
    "急什麼急什麼",
    "我不知道（ｂｙｅ）",
]
# Full-width letters and digits before each reply: many new characters make learning take a
# while, and with a tiny switch interval the threads interleave inside it.
FULL_WIDTH = "".join(chr(c) for c in range(0xFF10, 0xFF5B) if chr(c).isalnum())
THREADS = 16
ROUNDS = 25


@pytest.fixture(autouse=True)
def switch_often():
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


@pytest.fixture
def matcher():
    return PhraseMatcher(RULES)


def scan_all_at_once(matcher) -> list:
    barrier = threading.Barrier(THREADS)
    found = [None] * THREADS

    def scan(i):
        barrier.wait()
        reply = FULL_WIDTH[i:] + REPLIES[i % len(REPLIES)]
        found[i] = ({f.rule_key for f in matcher.scan(reply)}, normalise(reply).text)

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found


def test_every_thread_finds_the_phrase_the_first_time_its_characters_are_seen(matcher, monkeypatch):
    for _ in range(ROUNDS):
        # the matcher's own patterns are simplified and half-width: the replies' are all new
        monkeypatch.setattr(engine, "_FOLD", engine._FoldCache())
        engine._FOLD.learn(set("".join(r.phrase for r in RULES)))
        found = scan_all_at_once(matcher)
        expected = [
            ({f.rule_key for f in matcher.scan(r)}, normalise(r).text)
            for r in (FULL_WIDTH[i:] + REPLIES[i % len(REPLIES)] for i in range(THREADS))
        ]
        assert found == expected
        assert all(keys for keys, _ in found)  # each reply holds a forbidden phrase


def test_a_published_state_is_never_changed_by_learning(monkeypatch):
    monkeypatch.setattr(engine, "_FOLD", engine._FoldCache())
    before = engine._FOLD.state
    normalise("這不歸我管，ＯＫ")
    assert before.known == frozenset() and before.replace_re is None
    assert {"這", "Ｏ"} <= engine._FOLD.state.known

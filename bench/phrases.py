"""Benchmark the forbidden-phrase engine: 1,000 replies against 500 phrases.

The 47 shipped phrases are padded to 500 with generated ones; the replies mix the shipped
service scripts with forbidden phrases typed the ways people really type them (spaces,
zero-width characters, full-width letters, traditional characters). Prints the scan rate.

    .venv/bin/python bench/phrases.py [--replies 1000] [--phrases 500] [--rounds 5]
"""

import argparse
import random
import statistics
import time
from pathlib import Path

from trainer.content.validation import read_library
from trainer.phrases.engine import PhraseMatcher, PhraseRule

LIBRARY = Path(__file__).resolve().parent.parent / "scripts_library"
SYLLABLES = "您我他这那是不没有要去来看说办理查问等快慢好坏急忙管找领导投诉意见规定系统窗口号码"
TWISTS = [
    lambda s: s,
    lambda s: " ".join(s),
    lambda s: "\u200b".join(s),
    lambda s: s.replace("这", "這").replace("说", "說").replace("归", "歸").replace("问", "問"),
    lambda s: s.upper().replace("A", "Ａ"),
]


def build_rules(count: int, rng: random.Random) -> list[PhraseRule]:
    library, problems = read_library(LIBRARY)
    if problems:
        raise SystemExit("the library has problems; run `trainer content validate`")
    rules = [
        PhraseRule(
            p.key, p.phrase, p.variants, p.category, p.reason, p.alternative, p.allowed_contexts
        )
        for p in library.phrases
    ]
    while len(rules) < count:
        phrase = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 6)))
        rules.append(PhraseRule(f"generated_{len(rules)}", phrase, alternative="请稍等"))
    return rules, library


def build_replies(count: int, library, rng: random.Random) -> list[str]:
    lines = [line for p in library.procedures for s in p.steps for line in s.script]
    phrases = [p.phrase for p in library.phrases]
    replies = []
    for _ in range(count):
        reply = rng.choice(lines)
        if rng.random() < 0.4:
            twist = rng.choice(TWISTS)
            reply = reply[: len(reply) // 2] + twist(rng.choice(phrases)) + reply[len(reply) // 2 :]
        replies.append(reply)
    return replies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument("--phrases", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(2026)
    rules, library = build_rules(args.phrases, rng)
    replies = build_replies(args.replies, library, rng)

    started = time.perf_counter()
    matcher = PhraseMatcher(rules)
    build_ms = (time.perf_counter() - started) * 1000
    matcher.scan(replies[0])  # warm the per-character caches once, as a running server would

    # CPU time as well as wall time: on a shared machine the wall clock includes waiting.
    timings, cpu_timings, found = [], [], 0
    for _ in range(args.rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        found = sum(len(matcher.scan(reply)) for reply in replies)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu_started)
    best, median = min(timings), statistics.median(timings)
    cpu_median = statistics.median(cpu_timings)
    characters = sum(len(r) for r in replies)
    print(f"phrases: {len(rules)} (automaton built in {build_ms:.1f} ms)")
    print(f"replies: {len(replies)} ({characters} characters), findings per pass: {found}")
    print(
        f"scan of all replies: best {best * 1000:.1f} ms, median {median * 1000:.1f} ms "
        f"over {args.rounds} rounds"
    )
    print(f"CPU time per pass: median {cpu_median * 1000:.1f} ms")
    print(
        f"scan rate: {len(replies) / median:,.0f} replies/s "
        f"({characters / median / 1e6:.2f} M characters/s)"
    )


if __name__ == "__main__":
    main()

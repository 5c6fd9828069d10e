"""Benchmark scoring one typed drill reply: forbidden phrases + every rubric element.

Scores every labelled reply of tests/roleplay/eval/ (all 32 typed turns of the shipped
scenarios) against the repository's phrase file, with one taught example per element so the
n-gram comparison runs too. Compiled scorers are warmed first (as a server is after its
first drill); prints p50/p95/max per reply and the load average. Target: p95 < 20 ms.

    .venv/bin/python bench/score_reply.py [--rounds 5]
"""

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from trainer.phrases.services import library_matcher
from trainer.roleplay.element_match import Example
from trainer.roleplay.library_refs import SCENARIOS_DIR
from trainer.roleplay.scenario_format import parse_scenario
from trainer.roleplay.scoring import score_reply

EVAL = Path(__file__).resolve().parent.parent / "tests" / "roleplay" / "eval"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    items = [
        json.loads(line)
        for name in ("dev.jsonl", "heldout.jsonl")
        for line in (EVAL / name).read_text(encoding="utf-8").splitlines()
    ]
    specs = {
        key: parse_scenario((SCENARIOS_DIR / f"{key}.yaml").read_text(encoding="utf-8"), key)
        for key in {i["scenario"] for i in items}
    }
    matcher = library_matcher()
    taught = {
        (i["scenario"], i["turn"]): {k: [Example(i["text"], v)] for k, v in i["elements"].items()}
        for i in items
    }
    jobs = [
        (
            i["text"],
            specs[i["scenario"]].turns[i["turn"]].rubric,
            taught[(i["scenario"], i["turn"])],
        )
        for i in items
    ]
    for text, rubric, learned in jobs:  # warm-up: jieba's dictionary, compiled turn scorers
        score_reply(text, rubric, matcher, learned=learned)
    timings = []
    for _ in range(args.rounds):
        for text, rubric, learned in jobs:
            start = time.perf_counter()
            score_reply(text, rubric, matcher, learned=learned)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"replies scored: {len(timings)} ({len(jobs)} distinct, {args.rounds} rounds)")
    print(
        f"per reply: p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, "
        f"max {timings[-1]:.2f} ms (target p95 < 20 ms)"
    )
    print(f"load average (1, 5, 15 min): {load}; CPUs: {os.cpu_count()}")


if __name__ == "__main__":
    main()

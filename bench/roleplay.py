"""Role-play speed: free-text scoring, playing drills, and the trainer pages under load.

    .venv/bin/python bench/roleplay.py           # 5,000 scored replies, 300 drills played
    .venv/bin/python bench/roleplay.py --short   # 500 replies, 30 drills (while developing)

No targets are asserted: the numbers are printed (wall and CPU ms) to judge by. Uses the
real forbidden-phrase list from scripts_library/phrases and a throwaway SQLite database.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer import create_app  # noqa: E402
from trainer.accounts.services import create_user  # noqa: E402
from trainer.extensions import db  # noqa: E402
from trainer.permissions import Role  # noqa: E402
from trainer.phrases.engine import PhraseMatcher, PhraseRule  # noqa: E402
from trainer.roleplay import library_refs  # noqa: E402
from trainer.roleplay.demo import CARELESS_REPLY, best_path, ideal_reply  # noqa: E402
from trainer.roleplay.scenario_store import load_scenarios, spec_of  # noqa: E402
from trainer.roleplay.scoring import reply_points, score_reply  # noqa: E402
from trainer.roleplay.services import (  # noqa: E402
    active_scenarios,
    choose,
    reply,
    start_drill,
)

PHRASES = Path(__file__).resolve().parent.parent / "scripts_library" / "phrases" / "forbidden.yaml"
REPLIES = (
    CARELESS_REPLY,
    "对不起，这三十块钱我马上帮您查一下，请稍等。",
    "您不知道的话，我来帮您查一下。" * 3,
    "您好，非常抱歉让您久等了，" * 40,  # a 560-character ramble
)


def percentile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * q))]


def report(label: str, wall: list[float], cpu: list[float], unit: str = "ms") -> None:
    scale = 1000 if unit == "ms" else 1_000_000
    print(
        f"{label:38} n={len(wall):5}  median {statistics.median(wall) * scale:8.2f} {unit}"
        f"  p95 {percentile(wall, 0.95) * scale:8.2f} {unit}"
        f"  cpu median {statistics.median(cpu) * scale:8.2f} {unit}"
    )


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def bench_scoring(count: int) -> None:
    raw = yaml.safe_load(PHRASES.read_text(encoding="utf-8"))["phrases"]
    rules = [
        PhraseRule(
            p["key"],
            p["phrase"],
            tuple(p.get("variants", ())),
            p.get("category", ""),
            p.get("reason", ""),
            p.get("alternative", ""),
            tuple(p.get("allowed_contexts", ())),
        )
        for p in raw
    ]
    _matcher, build, _ = timed(lambda: PhraseMatcher(rules))
    print(f"phrase matcher over {len(rules)} rules built in {build * 1000:.1f} ms")
    matcher = _matcher
    spec_path = library_refs.SCENARIOS_DIR / "complaint_overcharge_escalation.yaml"
    from trainer.roleplay.scenario_format import parse_scenario

    rubric = parse_scenario(spec_path.read_text(encoding="utf-8"), "x").turns["t2"].rubric
    wall, cpu = [], []
    for i in range(count):
        text = REPLIES[i % len(REPLIES)]
        _r, w, c = timed(lambda text=text: reply_points(score_reply(text, rubric, matcher)))
        wall.append(w)
        cpu.append(c)
    report("score one reply (rubric + 禁语)", wall, cpu, unit="µs")


def bench_drills(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "WTF_CSRF_ENABLED": False,
                "SECRET_KEY": "bench-secret",
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                "RATELIMIT_STORAGE_URI": "memory://",
            }
        )
        with app.app_context():
            db.create_all()
            _s, w, _c = timed(lambda: load_scenarios(library_refs.SCENARIOS_DIR))
            db.session.commit()
            print(f"load 12 scenarios (validate + store)       {w * 1000:8.1f} ms")
            _s, w, _c = timed(lambda: load_scenarios(library_refs.SCENARIOS_DIR))
            print(f"load again (nothing changed)               {w * 1000:8.1f} ms")
            trainee = create_user(
                None,
                employee_no="B1",
                name="压测学员",
                roles={Role.TRAINEE},
                password="bench-password-1",
            )
            create_user(
                None,
                employee_no="B2",
                name="压测培训师",
                roles={Role.TRAINER},
                password="bench-password-1",
            )
            db.session.commit()
            scenarios = active_scenarios()
            move_wall, move_cpu = [], []
            for i in range(count):
                scenario = scenarios[i % len(scenarios)]
                session = start_drill(trainee, scenario)
                spec = spec_of(session.version)
                for position, (turn_key, move) in enumerate(best_path(spec)):
                    if move is None:
                        text = CARELESS_REPLY if i % 2 else ideal_reply(spec, turn_key)
                        fn = lambda s=session, t=turn_key, p=position, x=text: reply(s, t, p, x)  # noqa: E731
                    else:
                        fn = lambda s=session, t=turn_key, p=position, m=move: choose(s, t, p, m)  # noqa: E731
                    _r, w, c = timed(lambda fn=fn: (fn(), db.session.commit()))
                    move_wall.append(w)
                    move_cpu.append(c)
            report("one drill move (store + score + commit)", move_wall, move_cpu)
            last_id = session.id
        client = app.test_client()
        for employee_no, pages in (
            ("B1", [f"/drills/sessions/{last_id}", "/drills"]),
            (
                "B2",
                [
                    "/roleplay/review",
                    "/roleplay/sessions",
                    "/roleplay/moves.csv",
                    "/roleplay/scenarios/complaint_overcharge_escalation/edit",
                ],
            ),
        ):
            client.post("/login", data={"employee_no": employee_no, "password": "bench-password-1"})
            for url in pages:
                wall, cpu = [], []
                for _ in range(10):
                    response, w, c = timed(lambda url=url: client.get(url))
                    assert response.status_code == 200, (url, response.status_code)
                    wall.append(w)
                    cpu.append(c)
                report(f"GET {url[:34]}", wall, cpu)
            client.post("/logout")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--short", action="store_true")
    args = parser.parse_args()
    bench_scoring(500 if args.short else 5000)
    bench_drills(30 if args.short else 300)


if __name__ == "__main__":
    main()

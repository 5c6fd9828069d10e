"""A shift-start login storm against the password KDF alone: how many Argon2id verifications
(OWASP m=19 MiB, t=2, p=1) one process completes per second with its concurrency bound, and
how long each login waits, for a given number of simultaneous logins.

    .venv/bin/python bench/login_storm.py [--logins 200] [--threads 32] [--slots N]
    .venv/bin/python bench/login_storm.py --app [--db postgresql] --logins 400 --window 60

`--slots` is TRAINER_PASSWORD_HASH_CONCURRENCY (default: the CPU count). Prints numbers and
the load average; asserts nothing (the machine may be shared).

`--app`: the real thing (issue 21's shift-start storm). A fresh database is filled by
bench/load_setup.py (the library, `--logins` newly enrolled trainees and a few more who stay
signed in), every account gets a production Argon2id hash, gunicorn starts with the production
KDF, and the trainees sign in through the login form (CSRF included) at times spread evenly
over `--window` seconds, while the signed-in ones keep browsing (dashboard, modules). Reported:
login p95, errors, and the other requests' p95 before the storm and during it.
"""

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402

from trainer.accounts import passwords  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--slots", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--app", action="store_true", help="through gunicorn and the login form")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--window", type=float, default=60.0, help="seconds the logins arrive in")
    parser.add_argument("--browsers", type=int, default=10, help="signed-in users browsing")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads-per-worker", type=int, default=8)
    args = parser.parse_args()
    if args.app:
        from login_storm_app import run_app_storm  # bench/login_storm_app.py

        sys.exit(run_app_storm(args))

    app = Flask("login_storm")
    app.config.update(PASSWORD_HASH_METHOD="argon2id", PASSWORD_HASH_CONCURRENCY=args.slots)
    passwords.init_app(app)
    with app.app_context():
        stored = passwords.hash_password("correct-horse-1")

    def login(_: int) -> float:
        started = time.perf_counter()
        with app.app_context():
            assert passwords.verify_password(stored, "correct-horse-1")
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(args.threads) as pool:
        waits = sorted(pool.map(login, range(args.logins)))
    elapsed = time.perf_counter() - started
    print(f"{args.logins} logins, {args.threads} at once, {args.slots} KDF slots")
    print(f"throughput: {args.logins / elapsed:.1f} logins/s over {elapsed:.1f} s")
    print(
        f"per login: median {statistics.median(waits) * 1000:.0f} ms, "
        f"p95 {waits[int(len(waits) * 0.95) - 1] * 1000:.0f} ms, max {waits[-1] * 1000:.0f} ms"
    )
    print("load average (1/5/15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()

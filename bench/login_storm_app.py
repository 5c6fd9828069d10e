"""`bench/login_storm.py --app`: the shift-start login storm through gunicorn and the login form.

Reuses bench/harness.py (database, gunicorn, client) and bench/load_setup.py (the population);
only the password hashes are changed afterwards, to one production Argon2id hash (verifying it
costs what any account's would), since the set-up gives accounts a cheap hash to stay fast.
"""

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from harness import (
    CSRF_INPUT,
    Client,
    free_port,
    fresh_database,
    machine,
    percentile,
    start_gunicorn,
    stop,
    wait_for_workers,
)
from load_setup import PASSWORD, populate
from sqlalchemy import create_engine, text


def production_hash() -> str:
    from flask import Flask

    from trainer.accounts import passwords

    app = Flask("login_storm")
    app.config.update(PASSWORD_HASH_METHOD="argon2id", PASSWORD_HASH_CONCURRENCY=1)
    passwords.init_app(app)
    with app.app_context():
        return passwords.hash_password(PASSWORD)


def sign_in(client: Client, employee_no: str) -> int:
    status, _, page = client.get("/login")
    if status != 200:
        return status
    fields = [("csrf_token", CSRF_INPUT.search(page).group(1))]
    status, _, _ = client.post_form(
        "/login", [*fields, ("employee_no", employee_no), ("password", PASSWORD)]
    )
    return status


class Browser(threading.Thread):
    """A signed-in user clicking about twice a second: the 'other requests'."""

    def __init__(self, port: int, employee_no: str, stats: dict):
        super().__init__(daemon=True)
        self.client, self.employee_no, self.stats = Client(port), employee_no, stats
        self.stopping = threading.Event()

    def run(self) -> None:
        if sign_in(self.client, self.employee_no) != 302:
            self.stats["errors"].append(f"browser {self.employee_no} could not sign in")
            return
        paths = ("/", "/modules", "/quizzes")
        n = 0
        while not self.stopping.is_set():
            began = time.perf_counter()
            status, _, _ = self.client.get(paths[n % len(paths)])
            elapsed = time.perf_counter() - began
            with self.stats["lock"]:
                self.stats[self.stats["phase"]].append(elapsed)
                if status != 200:
                    self.stats["errors"].append(f"GET {paths[n % len(paths)]}: HTTP {status}")
            n += 1
            self.stopping.wait(0.5)


def run_app_storm(args) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="login_storm_"))
    database_url, drop = fresh_database(args.db, args.pg_url, workdir, "login_bench")
    server = None
    try:
        began = time.perf_counter()
        population = populate(
            database_url,
            workdir / "files",
            trainees=0,
            studiers=args.logins + args.browsers,
            mentors=0,
            mentees_per_mentor=1,
            certificates=0,
            revoked=0,
        )
        engine = create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(text('UPDATE "user" SET password_hash = :h'), {"h": production_hash()})
        engine.dispose()
        print(f"[{args.db}] set up in {time.perf_counter() - began:.0f} s", flush=True)
        port = free_port()
        server = start_gunicorn(
            database_url,
            port,
            args.workers,
            args.threads_per_worker,
            workdir / "gunicorn.log",
            app_config={"INSTANCE_FILES": str(workdir / "files"), "MODULE_READING_TIME": False},
            env={"TRAINER_PASSWORD_HASH": "argon2id"},
        )
        wait_for_workers(server, args.workers)
        stats = {"lock": threading.Lock(), "phase": "before", "before": [], "during": []}
        stats["errors"] = []
        browsers = [Browser(port, n, stats) for n in population.studiers[: args.browsers]]
        for browser in browsers:
            browser.start()
        time.sleep(10)  # the browsers sign in, then their calm figures
        with stats["lock"]:
            stats["before"].clear()
        time.sleep(10)
        stats["phase"] = "during"
        logins: list[float] = []
        errors = stats["errors"]
        load_before = os.getloadavg()

        def one(employee_no: str, at: float) -> None:
            time.sleep(max(0.0, at - time.perf_counter()))
            client = Client(port)
            started = time.perf_counter()
            status = sign_in(client, employee_no)
            with stats["lock"]:
                logins.append(time.perf_counter() - started)
                if status != 302:
                    errors.append(f"login {employee_no}: HTTP {status}")

        start = time.perf_counter()
        storm = population.studiers[args.browsers :]
        threads = [
            threading.Thread(target=one, args=(n, start + args.window * i / len(storm)))
            for i, n in enumerate(storm)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.window + 300)
        wall = time.perf_counter() - start
        load_after = os.getloadavg()
        for browser in browsers:
            browser.stopping.set()
        for browser in browsers:
            browser.join(30)
    finally:
        if server is not None:
            stop(server)
        drop()
    print(f"\n## login storm through the app — {machine()}, {args.db}")
    print(
        f"{len(storm)} logins (GET /login + POST /login, Argon2id m=19 MiB t=2 p=1) arriving "
        f"evenly over {args.window:.0f} s, all done in {wall:.0f} s; gunicorn {args.workers} "
        f"workers × {args.threads_per_worker} threads; {args.browsers} users browsing meanwhile"
    )
    print(
        f"login: p50 {percentile(logins, 50):.0f} ms, p95 {percentile(logins, 95):.0f} ms, "
        f"max {percentile(logins, 100):.0f} ms"
    )
    for phase in ("before", "during"):
        values = stats[phase]
        print(
            f"other requests {phase} the storm: n={len(values)}, "
            f"p50 {percentile(values, 50):.0f} ms, p95 {percentile(values, 95):.0f} ms"
        )
    print(f"errors {len(errors)}")
    for error in errors[:10]:
        print(f"    ! {error}")
    print(
        "load average (1/5/15 min): "
        + " ".join(f"{x:.1f}" for x in load_before)
        + " before, "
        + " ".join(f"{x:.1f}" for x in load_after)
        + " after"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit("run bench/login_storm.py --app")

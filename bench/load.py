"""200 people at once on the real stack: gunicorn (gthread workers) on PostgreSQL and SQLite (WAL).

    .venv/bin/python bench/load.py                   # full: 200 users, PostgreSQL and SQLite
    .venv/bin/python bench/load.py --quick --db sqlite  # CI form (≤ 2 min): 20 users
    .venv/bin/python bench/load.py --db postgresql --pg-url postgresql://postgres@127.0.0.1/test

For each database: a fresh database, the library loaded with `trainer load-library`, people
and records made through the services (bench/load_setup.py), gunicorn started, then two
phases on the same server. In each, every user is a thread with its own cookies and CSRF
token (bench/load_users.py): trainees sit the pre-job exam (a look at modules and procedures,
autosave every few seconds, submit — a tenth twice), new trainees study pages and mark them
studied, mentors sign off internship tasks (a tenth double-tap), anonymous visitors verify
certificates at /verify/<code>. Phase 2 SIGKILLs one gunicorn worker mid-run; the master
starts a new one, requests on the dead worker's connections fail and are retried once
(counted as drops, not errors).

After the server stops, the database is checked against what the server acknowledged: the
last confirmed answers of every attempt, every confirmed submit, every page marked studied,
every sign-off (by its one-time token, with its audit entry). Anything missing is lost data.
Exit status 1 on lost data, unexpected errors (any failed request outside the kill, any
wrong page), or a kill that did not happen. No timing is asserted: the figures are printed.
"""

import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_users as users  # noqa: E402
from harness import (  # noqa: E402
    database_parser,
    free_port,
    fresh_database,
    machine,
    percentile,
    postgres_version,
    start_gunicorn,
    stop,
    wait_for_workers,
    worker_pids,
)
from load_checks import check  # noqa: E402
from load_setup import PASSWORD, populate  # noqa: E402


@dataclass(frozen=True)
class Profile:
    exam_takers: int  # trainees sitting the pre-job exam
    studiers: int  # new trainees reading modules
    mentors: int
    visitors: int
    mentees_per_mentor: int
    certificates: int
    revoked: int
    think: float  # seconds between a user's clicks (×0.5–1.5)
    saves: int  # autosaves per exam
    save_interval: float
    pages: int  # pages each studier marks studied
    sign_offs: int  # per mentor
    verifications: int  # per visitor
    ramp: float  # users arrive over this many seconds
    kill_after: float  # seconds into phase 2 when a worker is killed
    workers: int = 4
    threads: int = 8

    @property
    def users(self) -> int:
        return self.exam_takers + self.studiers + self.mentors + self.visitors


FULL = Profile(
    exam_takers=60,
    studiers=60,
    mentors=40,
    visitors=40,
    mentees_per_mentor=1,
    certificates=8,
    revoked=2,
    think=2.0,
    saves=6,
    save_interval=3.0,
    pages=6,
    sign_offs=6,
    verifications=15,
    ramp=10.0,
    kill_after=20.0,
)
QUICK = Profile(
    exam_takers=6,
    studiers=6,
    mentors=4,
    visitors=4,
    mentees_per_mentor=1,
    certificates=2,
    revoked=1,
    think=0.3,
    saves=3,
    save_interval=0.8,
    pages=3,
    sign_offs=3,
    verifications=8,
    ramp=1.0,
    kill_after=3.0,
    workers=3,
    threads=4,
)


def phase(name: str, port: int, server, population, profile: Profile, kill=False) -> dict:
    """Run every user once; `kill`: True kills a worker of `server` mid-run, a callable
    (given the recorder) kills what it likes and returns the pid it killed."""
    recorder = users.Recorder()
    exams, studied, signed = [], [], []
    threads = []
    rng = random.Random(name)

    def person(behaviour, *args):
        session = users.Session(port, recorder, random.Random(rng.random()), profile.think)
        threads.append(threading.Thread(target=users.run_user, args=(behaviour, session, *args)))

    for employee_no in population.trainees:
        person(users.sit_exam, employee_no, PASSWORD, population, profile.saves,
               profile.save_interval, exams)  # fmt: skip
    for employee_no in population.studiers:
        person(users.study, employee_no, PASSWORD, population, profile.pages, studied)
    for mentor, mentees in population.mentors.items():
        person(users.sign_offs, mentor, PASSWORD, mentees, profile.sign_offs, signed)
    for _ in range(profile.visitors):
        person(users.verify, population.certificates, profile.verifications)
    rng.shuffle(threads)

    killed = None
    load_before = os.getloadavg()[0]
    began = time.perf_counter()
    for index, thread in enumerate(threads):
        time.sleep(max(0.0, began + profile.ramp * index / len(threads) - time.perf_counter()))
        thread.start()
    if kill:
        time.sleep(max(0.0, began + profile.kill_after - time.perf_counter()))
        if callable(kill):  # bench/scaleout.py kills a whole instance its own way
            killed = kill(recorder)
        else:
            pids = worker_pids(server)
            killed = rng.choice(pids)
            recorder.kill_time = time.monotonic()
            os.kill(killed, 9)  # SIGKILL: no cleanup, no graceful shutdown
    for thread in threads:
        thread.join(900)
    wall = time.perf_counter() - began
    respawned = len(wait_for_workers(server, profile.workers, 30)) if kill is True else None
    return {
        "name": name,
        "recorder": recorder,
        "exams": exams,
        "studied": studied,
        "signed": signed,
        "wall": wall,
        "load": (load_before, os.getloadavg()[0]),
        "killed": killed,
        "respawned": respawned,
    }


def prepare(kind: str, database_url: str, workdir: Path, profile: Profile):
    """Fill one database (in its own process, so both databases are prepared at once)."""
    began = time.perf_counter()
    population = populate(
        database_url,
        workdir / "files",
        trainees=profile.exam_takers,
        studiers=profile.studiers,
        mentors=profile.mentors,
        mentees_per_mentor=profile.mentees_per_mentor,
        certificates=profile.certificates,
        revoked=profile.revoked,
    )
    print(f"[{kind}] set up in {time.perf_counter() - began:.0f} s", flush=True)
    return population


def measure(kind: str, database_url: str, workdir: Path, population, profile: Profile):
    """Both phases on one gunicorn, then the database checks; returns the two outcomes."""
    server = None
    try:
        port = free_port()
        server = start_gunicorn(
            database_url,
            port,
            profile.workers,
            profile.threads,
            workdir / "gunicorn.log",
            app_config={
                "CERTIFICATE_VERIFY_RATE_LIMIT": "100000 per minute",
                "LOGIN_RATE_LIMIT": "100000 per minute",
                "INSTANCE_FILES": str(workdir / "files"),
                # Bench trainees "read" a page in a second of think time; the beacon and the
                # click are still sent (the load is the same), the minimum is not waited for.
                "MODULE_READING_TIME": False,
            },
            keep_alive=75,  # longer than any think time: a dropped connection means a dead worker
        )
        wait_for_workers(server, profile.workers)
        outcomes = []
        for name, kill in ((f"{kind}", False), (f"{kind}, worker killed", True)):
            outcome = phase(name, port, server, population, profile, kill)
            print(f"[{name}] ran {outcome['wall']:.0f} s", flush=True)
            outcomes.append(outcome)
        stop(server)
        server = None
        for outcome in outcomes:
            outcome["check"] = check(database_url, workdir / "files", outcome, population)
        return outcomes
    finally:
        if server is not None:
            stop(server)


def report(outcome: dict, profile: Profile) -> bool:
    """Print one phase as a Markdown table; True when it passed."""
    r, c = outcome["recorder"], outcome["check"]
    requests = sum(len(v) for v in r.timings.values()) + len(r.errors) + len(r.drops)
    print(
        f"\n### {outcome['name']}: {profile.users} users, {outcome['wall']:.0f} s, "
        f"load average {outcome['load'][0]:.1f} before, {outcome['load'][1]:.1f} after, "
        f"on {os.cpu_count()} CPUs\n"
    )
    print("| endpoint | n | p50 ms | p95 ms | max ms | errors | dropped |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for endpoint in sorted(set(r.timings) | set(r.failed) | set(r.dropped)):
        values = r.timings.get(endpoint, [])
        print(
            f"| {endpoint} | {len(values)} | {percentile(values, 50):.0f} | "
            f"{percentile(values, 95):.0f} | {percentile(values, 100):.0f} | "
            f"{r.failed.get(endpoint, 0)} | {r.dropped.get(endpoint, 0)} |"
        )
    rate = 100 * len(r.errors) / requests if requests else 0.0
    print(
        f"\nrequests {requests}, unexpected errors {len(r.errors)} ({rate:.2f} %), "
        f"requests retried after 503 (busy; not errors) {r.busy}, "
        f"dropped by the kill {len(r.drops)}"
        + (
            f" (worker {outcome['killed']} killed, {outcome['respawned']} workers after)"
            if outcome["killed"] and outcome["respawned"] is not None
            else f" (process group {outcome['killed']} killed)"
            if outcome["killed"]
            else ""
        )  # fmt: skip
    )
    print(
        f"acknowledged: {c['answers']} answers in {c['attempts']} attempts, "
        f"{c['submits']} submits, {c['pages']} pages studied, {c['sign_offs']} sign-offs"
    )
    print(
        f"LOST: answers {c['lost_answers']}, submits {c['lost_submits']}, "
        f"pages {c['lost_pages']}, sign-offs {c['lost_sign_offs']}, "
        f"sign-offs without audit {c['unaudited']}, duplicate sign-offs {c['duplicates']}"
    )
    for line in r.errors[:8] + r.drops[:4]:
        print(f"    ! {line}")
    lost = sum(c[k] for k in c if k.startswith("lost_") or k in ("unaudited", "duplicates"))
    kill_ok = outcome["killed"] is not None or not outcome["name"].endswith("killed")
    return not lost and not r.errors and kill_ok


def main() -> int:
    parser = database_parser(__doc__)
    parser.add_argument("--quick", action="store_true", help="CI: 20 users, ≤ 2 minutes")
    args = parser.parse_args()
    profile = QUICK if args.quick else FULL
    kinds = ("postgresql", "sqlite") if args.db == "both" else (args.db,)
    began = time.perf_counter()
    databases = {}
    try:
        for kind in kinds:
            workdir = Path(tempfile.mkdtemp(prefix="load_"))
            databases[kind] = (workdir, *fresh_database(kind, args.pg_url, workdir, "load_bench"))
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(len(kinds), mp_context=spawn) as pool:
            futures = {
                kind: pool.submit(prepare, kind, url, workdir, profile)
                for kind, (workdir, url, _drop) in databases.items()
            }
            populations = {kind: future.result() for kind, future in futures.items()}
        outcomes = [
            outcome
            for kind, (workdir, url, _drop) in databases.items()
            for outcome in measure(kind, url, workdir, populations[kind], profile)
        ]
    finally:
        for _workdir, _url, drop in databases.values():
            drop()
    details = machine()
    if "postgresql" in kinds:
        details += f", PostgreSQL {postgres_version(args.pg_url)}"
    print(f"\n## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — {details}")
    print(
        f"{profile.users} users: {profile.exam_takers} sitting the exam, {profile.studiers} "
        f"studying, {profile.mentors} mentors, {profile.visitors} visitors; gunicorn "
        f"{profile.workers} workers × {profile.threads} threads; "
        f"total {time.perf_counter() - began:.0f} s"
    )
    passed = [report(outcome, profile) for outcome in outcomes]
    print("\nPASS" if all(passed) else "\nFAIL")
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())

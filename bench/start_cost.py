"""CPU time and SQL statements per exam start request, in-process, independent of load.

    .venv/bin/python bench/start_cost.py                       # SQLite and PostgreSQL, 60 starts
    .venv/bin/python bench/start_cost.py --db postgresql --trainees 100 --profile 20

Issue 21's start storm is CPU-bound: 400 starts queued on 2 cores take as long as 400 × the
CPU one start costs. This measures that cost where the machine's load cannot move it much: the
shipped library and N trainees who meet the pre-job exam's requirements (bench/load_setup.py:
every pre-job module studied, every required drill played), each signed in with the Flask test
client (its own cookies, CSRF as the browser sends it); then each trainee's
`POST /quizzes/<id>/start` — the whole request: user load, session, CSRF, the availability
checks, the attempt, the commit and its listeners, the redirect — is timed with
time.process_time and its SQL statements counted (SQLAlchemy's before_cursor_execute). The
first start (it fills the start plan's cache) is left out. The last --profile starts run under
cProfile, whose top 25 by cumulative time are printed (they are not in the timings).
"""

import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import CSRF_INPUT, database_parser, fresh_database  # noqa: E402
from load_setup import PASSWORD, app_for, populate  # noqa: E402
from sqlalchemy import event  # noqa: E402


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def signed_in_client(app, employee_no: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login",
        data={
            "csrf_token": CSRF_INPUT.search(page).group(1),
            "employee_no": employee_no,
            "password": PASSWORD,
        },
    )
    if response.status_code != 302:
        raise RuntimeError(f"login of {employee_no}: HTTP {response.status_code}")
    return client


def measure(kind: str, args) -> None:
    from trainer.extensions import db

    workdir = Path(tempfile.mkdtemp(prefix="start_cost_"))
    database_url, drop = fresh_database(kind, args.pg_url, workdir, prefix="start_cost")
    try:
        began = time.perf_counter()
        population = populate(
            database_url,
            workdir / "files",
            trainees=args.trainees,
            studiers=0,
            mentors=0,
            mentees_per_mentor=0,
            certificates=0,
            revoked=0,
        )
        print(
            f"[{kind}] {len(population.trainees)} trainees ready in "
            f"{time.perf_counter() - began:.0f} s (load {load()})",
            flush=True,
        )
        app = app_for(database_url, workdir / "files")
        path = f"/quizzes/{population.exam_quiz_id}/start"
        clients = []
        for number in population.trainees:
            client = signed_in_client(app, number)
            page = client.get("/quizzes").get_data(as_text=True)
            clients.append((client, CSRF_INPUT.search(page).group(1)))

        statements: list[str] = []

        def count(conn, cursor, statement, *rest):
            statements.append(statement)

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
        profiled = clients[len(clients) - args.profile :] if args.profile else []
        timed = clients[: len(clients) - len(profiled)]
        cpu_ms, counts, walls, page_ms, page_counts = [], [], [], [], []
        for i, (client, csrf) in enumerate(timed):
            del statements[:]
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.post(path, data={"csrf_token": csrf})
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if response.status_code != 302 or "/attempts/" not in response.location:
                raise RuntimeError(f"start: HTTP {response.status_code} → {response.location}")
            if i == 0:
                first = list(statements)
                continue  # fills the start plan's cache
            cpu_ms.append(cpu * 1000)
            walls.append(wall * 1000)
            counts.append(len(statements))
            last = list(statements)
            # the exam page every starter loads next: in a storm it queues with the starts
            del statements[:]
            cpu = time.process_time()
            if client.get(response.location).status_code != 200:
                raise RuntimeError(f"exam page {response.location}: not 200")
            page_ms.append((time.process_time() - cpu) * 1000)
            page_counts.append(len(statements))
        profile = cProfile.Profile()
        for client, csrf in profiled:
            profile.enable()
            response = client.post(path, data={"csrf_token": csrf})
            if args.profile_page:
                client.get(response.location)
            profile.disable()
        print(
            f"\n== {kind}: {len(cpu_ms)} starts (first, {len(first)} statements, left out), "
            f"load average {load()} on {os.cpu_count()} CPUs\n"
            f"  CPU ms/start: median {statistics.median(cpu_ms):.2f}  "
            f"mean {statistics.mean(cpu_ms):.2f}  min {min(cpu_ms):.2f}  max {max(cpu_ms):.2f}\n"
            f"  wall ms/start: median {statistics.median(walls):.2f}\n"
            f"  SQL statements/start: {sorted(set(counts))} "
            f"(median {statistics.median(counts):.0f})\n"
            f"  the exam page after it (GET /attempts/<id>): CPU ms median "
            f"{statistics.median(page_ms):.2f}, SQL statements {sorted(set(page_counts))}"
        )
        if args.statements:
            print("  the last timed start's SQL:")
            for statement in last:
                print("   ", " ".join(statement.split())[:160])
        if profiled:
            print(f"  cProfile of {len(profiled)} starts, top 25 by cumulative time:")
            stats = pstats.Stats(profile, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(25)
            if args.tottime:
                stats.sort_stats("tottime").print_stats(args.tottime)
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
            db.engine.dispose()
    finally:
        drop()


def main() -> int:
    parser = database_parser(__doc__)
    parser.add_argument("--trainees", type=int, default=60)
    parser.add_argument("--profile", type=int, default=10, help="starts run under cProfile")
    parser.add_argument("--tottime", type=int, default=0, help="also the top N by own time")
    parser.add_argument("--statements", action="store_true", help="print one start's SQL")
    parser.add_argument(
        "--profile-page", action="store_true", help="profile the exam page after each start too"
    )
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    for kind in kinds:
        measure(kind, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

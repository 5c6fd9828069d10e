"""Data growth: every list page and dashboard at 200 / 2,000 / 20,000 trainees (issue 25).

    .venv/bin/python bench/growth.py [--sizes 200,2000,20000] [--db postgresql://…] [--sqlite]
                                     [--repeat 5] [--exports] [--out results.md]

For each size a fresh database is built by bench/growth_data.py (services for a 20-trainee
sample, bulk copies for the rest; see its docstring), then every page of the issue's table is
requested in-process through Flask's test client as the user who opens it (admin A0001 for the
user list, trainer T0001 otherwise): one warm-up, then `--repeat` timed requests. Printed per
page × size: median ms, SQL statements of one request (SQLAlchemy `before_cursor_execute`
events on the app's engine) and the page's size, with the load average at the start and end;
and the first request's time and statements (before the item-analysis and standings caches
hold the page's result, as after a new graded attempt).
"""

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from growth_data import PASSWORD, built_databases  # noqa: E402
from sqlalchemy import event, select  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def pages(ids: dict, exports: bool) -> list[tuple[str, str, str]]:
    """(label, who, path) in the issue's order; then pages that should already be flat."""
    listed = [
        ("trainer dashboard", "T0001", "/"),
        ("user admin list", "A0001", "/admin/users"),
        ("cohort dashboard (enrol)", "T0001", f"/cohorts/{ids['cohort']}"),
        ("reports index (trainees)", "T0001", "/reports/"),
        ("reports index, search", "T0001", "/reports/?q=G0001"),
        ("quiz results list", "T0001", f"/manage/quizzes/{ids['pre_job']}"),
        ("internship overview", "T0001", "/internship/"),
        ("internship overdue", "T0001", "/internship/overdue"),
        ("enrol picker search", "T0001", f"/cohorts/{ids['cohort']}?q=王"),
        ("item analysis (pre-job)", "T0001", f"/reports/quizzes/{ids['pre_job']}/items"),
        ("recognition standings", "T0001", "/recognition/"),
        ("standings, last 3 months", "T0001", "/recognition/?months=3"),
        ("standings, one cohort", "T0001", f"/recognition/?cohort={ids['cohort']}"),
        ("cohorts list", "T0001", "/cohorts"),
        ("cohorts list, search", "T0001", "/cohorts?q=2026"),
        ("cohort trainees, search", "T0001", f"/cohorts/{ids['cohort']}?find=G"),
        ("cohort funnel (control)", "T0001", f"/reports/cohorts/{ids['cohort']}"),
        ("audit log (control)", "A0001", "/audit/"),
        ("certificate register (control)", "T0001", "/certificates"),
    ]
    if exports:
        listed += [
            ("export results.csv", "T0001", "/reports/export/results.csv"),
            ("export results.xlsx", "T0001", "/reports/export/results.xlsx"),
            ("export attempts.csv", "T0001", "/reports/export/attempts.csv"),
            ("export sign_offs.csv", "T0001", "/reports/export/sign_offs.csv"),
        ]
    return listed


def measure(url: str, files: Path, repeat: int, exports: bool) -> dict[str, tuple]:
    from trainer import create_app
    from trainer.extensions import db
    from trainer.quizzes.models import Purpose, Quiz
    from trainer.training.models import Cohort

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_FILES": str(files),
            "SECRET_KEY": "bench-secret",
            "RATELIMIT_STORAGE_URI": "memory://",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    logging.getLogger("trainer.requests").setLevel(logging.WARNING)  # one line per request
    results: dict[str, tuple] = {}
    with app.app_context():
        ids = {
            "pre_job": db.session.scalar(select(Quiz.id).where(Quiz.purpose == Purpose.PRE_JOB)),
            # a bulk cohort of 50 (the sample's own when there are no copies)
            "cohort": db.session.scalar(select(Cohort.id).order_by(Cohort.id.desc()).limit(1)),
        }
        db.session.remove()
        statements = [0]

        @event.listens_for(db.engine, "before_cursor_execute")
        def count(*_args):
            statements[0] += 1

        clients = {}
        for who in ("A0001", "T0001"):
            client = app.test_client()
            response = client.post("/login", data={"employee_no": who, "password": PASSWORD})
            if response.status_code != 302:
                raise RuntimeError(f"login as {who} failed: {response.status_code}")
            clients[who] = client
        for label, who, path in pages(ids, exports):
            client = clients[who]
            statements[0] = 0
            started = time.perf_counter()
            response = client.get(path)  # warm-up: fills the caches (item analysis, standings)
            first_ms, first_count = 1000 * (time.perf_counter() - started), statements[0]
            times, count_of_one, size = [], 0, len(response.data)
            status = response.status_code
            for _ in range(1 if label.startswith("export") else repeat):
                statements[0] = 0
                started = time.perf_counter()
                response = client.get(path)
                data = response.data  # streamed bodies are read here
                times.append(time.perf_counter() - started)
                count_of_one, size, status = statements[0], len(data), response.status_code
            median = 1000 * statistics.median(times)
            results[label] = (median, count_of_one, size, status, first_ms, first_count)
        event.remove(db.engine, "before_cursor_execute", count)
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000,20000")
    parser.add_argument("--db", default=DEFAULT_PG, help="PostgreSQL server URL")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--exports", action="store_true", help="also time the exports")
    parser.add_argument("--out", help="append the markdown table to this file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    table: dict[int, dict[str, tuple]] = {}
    for size, url, files in built_databases(args.sqlite, args.db, sizes, "bench_growth"):
        table[size] = measure(url, files, args.repeat, args.exports)
        for label, (ms, stmts, size_b, status, first_ms, first_n) in table[size].items():
            print(
                f"  {label:32} {ms:8.0f} ms {stmts:5d} SQL {size_b / 1024:8.0f} KiB"
                f"   first request {first_ms:6.0f} ms {first_n:4d} SQL"
                + ("" if status == 200 else f"  HTTP {status}"),
                flush=True,
            )
        print(f"  load average: {os.getloadavg()}", flush=True)
    lines = [
        f"| page | {' | '.join(f'{s:,}' for s in sizes)} |",
        f"|---|{'---|' * len(sizes)}",
    ]
    for label in next(iter(table.values())):
        cells = []
        for s in sizes:
            ms, stmts, size_b, _status, _first_ms, _first_n = table[s][label]
            cells.append(f"{ms:,.0f} ms · {stmts} SQL · {size_b / 1024:,.0f} KiB")
        lines.append(f"| {label} | {' | '.join(cells)} |")
    lines.append(f"\nload average at the end: {os.getloadavg()}")
    print("\n".join(lines))
    if args.out:
        with open(args.out, "a") as out:
            out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

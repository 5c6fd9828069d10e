"""Exports at 200 / 2,000 / 20,000 trainees (issue 25): time, SQL statements, worker memory.

    .venv/bin/python bench/exports.py [--sizes 200,2000,20000] [--db postgresql://…] [--sqlite]
                                      [--repeat 3] [--only results.csv,attempts.xlsx]

For each size a fresh database is built by bench/growth_data.py (services for a 20-trainee
sample, bulk copies for the rest). Each export is then downloaded by trainer T0001 through
Flask's test client in a fresh child process, reading the streamed body piece by piece as a
WSGI server would, never holding it whole. Printed per export x size: median seconds, SQL
statements of one download (SQLAlchemy `before_cursor_execute` events), the file size, the
worker's resident memory before the download and its peak during the downloads (VmRSS sampled
every 10 ms: the whole process, app included), and the peak of Python allocations during one
more download (tracemalloc); the load average at the start and the end. Inline streaming is
measured (EXPORT_INLINE_ROWS is raised); a background job writes the same rows through the
same generator. Target (issue 25): every export within 60 s, under 300 MB, at 20,000 trainees.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
EXPORTS = (
    "results.csv",
    "results.xlsx",
    "attempts.csv",
    "attempts.xlsx",
    "sign_offs.csv",
    "sign_offs.xlsx",
    "drill_findings.csv",
    "certificates.csv",
)
PASSWORD = "demo1234"


def rss_mb() -> float:
    """The process's resident memory now (Linux /proc), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PeakRss:
    """Samples the resident memory every 10 ms while the download runs."""

    def __init__(self) -> None:
        self.peak = rss_mb()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self.stop.wait(0.01):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.peak = max(self.peak, rss_mb())


def measure_one(url: str, files: str, export: str, repeat: int) -> dict:
    """Runs in the child: download `export` `repeat` times, streaming."""
    from sqlalchemy import event

    from trainer import create_app
    from trainer.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_FILES": files,
            "SECRET_KEY": "bench-secret",
            "RATELIMIT_STORAGE_URI": "memory://",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "EXPORT_INLINE_ROWS": 10**12,
        }
    )
    statements = [0]
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def count(*_args):
            statements[0] += 1

    client = app.test_client()
    response = client.post("/login", data={"employee_no": "T0001", "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"login failed: {response.status_code}")
    before = rss_mb()

    def download() -> tuple[int, int]:
        response = client.get(f"/reports/export/{export}", buffered=False)
        size = 0
        for piece in response.response:  # as a WSGI server sends it: piece by piece
            size += len(piece)
        response.close()
        return size, response.status_code

    times, size, status = [], 0, 0
    with PeakRss() as peak:
        for _ in range(repeat):
            statements[0] = 0
            started = time.perf_counter()
            size, status = download()
            times.append(time.perf_counter() - started)
    tracemalloc.start()  # one more download, untimed: Python's own allocation peak
    download()
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": statistics.median(times),
        "statements": statements[0],
        "bytes": size,
        "status": status,
        "rss_before_mb": before,
        "rss_peak_mb": peak.peak,
        "traced_peak_mb": traced_peak / 1024 / 1024,
    }


def measure(url: str, files: Path, export: str, repeat: int) -> dict:
    child = subprocess.run(
        [sys.executable, __file__, "--child", url, str(files), export, str(repeat)],
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        return {"error": child.stderr.strip().splitlines()[-1] if child.stderr else "failed"}
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        url, files, export, repeat = sys.argv[2:6]
        print(json.dumps(measure_one(url, files, export, int(repeat))))
        return
    from growth_data import built_databases

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000,20000")
    parser.add_argument("--db", default=DEFAULT_PG, help="PostgreSQL server URL")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="comma-separated exports, e.g. results.csv")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    exports = args.only.split(",") if args.only else EXPORTS
    table: dict[int, dict[str, dict]] = {}
    for size, url, files in built_databases(args.sqlite, args.db, sizes, "bench_exports"):
        table[size] = {}
        for export in exports:
            table[size][export] = result = measure(url, files, export, args.repeat)
            print(f"  {export:20} {describe(result)}", flush=True)
        print(f"  load average: {os.getloadavg()}", flush=True)
    lines = [
        f"| export | {' | '.join(f'{s:,} trainees' for s in sizes)} |",
        f"|---|{'---|' * len(sizes)}",
    ]
    for export in exports:
        cells = [describe(table[s][export]) for s in sizes]
        lines.append(f"| {export} | {' | '.join(cells)} |")
    lines.append(f"\nload average at the end: {os.getloadavg()}")
    print("\n".join(lines))


def describe(result: dict) -> str:
    if "error" in result:
        return f"error: {result['error']}"
    text = (
        f"{result['seconds']:.2f} s · {result['statements']} SQL · "
        f"{result['bytes'] / 1024 / 1024:.1f} MB file · RSS {result['rss_before_mb']:.0f}→"
        f"{result['rss_peak_mb']:.0f} MB · traced {result['traced_peak_mb']:.1f} MB"
    )
    return text if result["status"] == 200 else f"{text} HTTP {result['status']}"


if __name__ == "__main__":
    main()

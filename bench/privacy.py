"""Personal-data requests on the demo site: export one person, anonymise a leaver, purge.

    .venv/bin/python bench/privacy.py [--audit-rows 100000] [--db postgresql://…]

Builds a throwaway database (SQLite in a temp dir unless --db names a PostgreSQL server, where
a fresh database is created and dropped), loads the library and the demo seed, pads the audit
log with N unrelated entries (anonymisation searches every text column of every table), then
times each request once and prints the numbers with the load average.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import fresh_database  # noqa: E402  (bench/harness.py)

from trainer import create_app  # noqa: E402
from trainer.accounts.models import User  # noqa: E402
from trainer.audit.models import AuditEntry  # noqa: E402
from trainer.extensions import db  # noqa: E402
from trainer.privacy import services  # noqa: E402


def timed(label: str, action) -> object:
    start = time.perf_counter()
    result = action()
    db.session.commit()
    print(f"{label:42} {1000 * (time.perf_counter() - start):8.0f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--audit-rows", type=int, default=100_000)
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = fresh_database("pg" if args.db else "sqlite", args.db, Path(tmp), "privacy")
        try:
            app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": url,
                    "SECRET_KEY": "bench-secret",
                    "INSTANCE_FILES": tmp,
                    "TRAINER_MODULE_READING_TIME": 0,
                }  # fmt: skip
            )
            with app.app_context():
                db.create_all()
                runner = app.test_cli_runner()
                for command in (["load-library"], ["seed-demo"]):
                    assert runner.invoke(args=command).exit_code == 0
                rows = [
                    {
                        "action": "bench.padding",
                        "target_type": "hall",
                        "target_id": str(i),
                        "after": {"note": f"unrelated entry {i}"},
                    }  # fmt: skip
                    for i in range(args.audit_rows)
                ]
                for start in range(0, len(rows), 10_000):
                    db.session.execute(insert(AuditEntry), rows[start : start + 10_000])
                db.session.commit()
                person = db.session.scalar(select(User).where(User.employee_no == "E0020"))
                trainer = db.session.scalar(select(User).where(User.employee_no == "T0001"))
                print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, "
                      f"audit log padded with {args.audit_rows} entries")  # fmt: skip
                data = timed(
                    "export E0020 (certified trainee)", lambda: services.export_person(None, person)
                )
                print(f"{'  zip size':42} {len(data) // 1024:8d} KiB")
                timed("export T0001 (trainer)", lambda: services.export_person(None, trainer))
                timed("anonymise E0020 (with PDF re-render)",
                      lambda: services.anonymise_person(None, person, "E0020"))  # fmt: skip
                timed("anonymise T0001", lambda: services.anonymise_person(None, trainer, "T0001"))
                timed("purge --dry-run", lambda: services.purge(None, dry_run=True))
            load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
            print(f"load average (1, 5, 15 min): {load}")
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            drop()


if __name__ == "__main__":
    main()

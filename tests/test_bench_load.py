"""The load benchmark's short form, as CI runs it: correctness only, never timing.

bench/load.py --quick starts gunicorn on a fresh database, puts 20 users on it (exam
autosave and submit, pages studied, mentor sign-offs, certificate verification), SIGKILLs a
worker in a second phase, then checks that everything the server acknowledged is in the
database. Its exit status is 0 only with zero lost data and zero unexpected errors.
On the PostgreSQL pass of CI (TEST_DATABASE_URL set) it runs against PostgreSQL.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_load_run_loses_nothing_even_when_a_worker_is_killed():
    pg_url = os.environ.get("TEST_DATABASE_URL")
    command = [sys.executable, str(ROOT / "bench/load.py"), "--quick"]
    command += ["--db", "postgresql", "--pg-url", pg_url] if pg_url else ["--db", "sqlite"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "LOST: answers 0, submits 0, pages 0, sign-offs 0" in output
    assert "worker killed" in output

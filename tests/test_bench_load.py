"""The load benchmark's short form, as CI runs it: correctness only, never timing.

bench/load.py --quick starts gunicorn on a fresh database, puts 20 users on it (exam
autosave and submit, pages studied, mentor sign-offs, certificate verification), SIGKILLs a
worker in a second phase, then checks that everything the server acknowledged is in the
database. Its exit status is 0 only with zero lost data and zero unexpected errors.
It uses its own SQLite file and server, whatever TEST_DATABASE_URL says (the PostgreSQL
figures come from the full run in bench/RESULTS.md).
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # a minute or two: CI runs it (CI=true), `make test` skips it
def test_quick_load_run_loses_nothing_even_when_a_worker_is_killed():
    command = [sys.executable, str(ROOT / "bench/load.py"), "--quick", "--db", "sqlite"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "LOST: answers 0, submits 0, pages 0, sign-offs 0" in output
    assert "worker killed" in output

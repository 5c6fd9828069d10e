"""The scale-out benchmark's short form, as CI runs it: correctness only, never timing.

bench/scaleout.py --quick puts two gunicorn instances on one fresh PostgreSQL database behind
an nginx it runs from a generated config (with deploy/nginx/trainer-proxy.conf), runs 20 users
of bench/load.py's mix through nginx and SIGKILLs instance A mid-run. It exits 0 only when no
acknowledged write is lost, no request failed beyond one retry, every certificate issued on A
downloads through B with the session made on A, and both instances counted one rate limit in
Redis. Needs the PostgreSQL server of BENCH_PG_URL (default postgres@127.0.0.1:5432), Redis on
127.0.0.1:6379 and Debian's nginx (`make install` installs it).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # a few minutes: CI runs it (CI=true), `make test` skips it
def test_killing_one_of_two_instances_behind_nginx_loses_nothing():
    assert shutil.which("nginx"), "nginx is missing: run `make install`"
    command = [sys.executable, str(ROOT / "bench/scaleout.py"), "--quick"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "LOST: answers 0, submits 0, pages 0, sign-offs 0" in output
    assert "process group" in output and "killed" in output

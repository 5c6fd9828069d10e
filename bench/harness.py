"""What the load benchmarks share: an HTTP client, a fresh database, gunicorn, percentiles.

Used by bench/quiz_load.py (one exam sat by many trainees) and bench/load.py (the realistic
mix). Nothing here knows about a particular feature except `answer_options`, which reads the
answer fields off an attempt page the way the browser's autosave script does.
"""

import argparse
import http.client
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
INPUT = re.compile(r"<(input|textarea)\b([^>]*)>")
SELECT = re.compile(r'<select\b[^>]*name="(q-[\d-]+)"[^>]*>(.*?)</select>', re.S)
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
OPTION = re.compile(r'<option value="([^"]+)"')

# What a dropped connection looks like to http.client: the worker died or closed the socket.
CONNECTION_ERRORS = (http.client.HTTPException, OSError)


# ---- a small keep-alive HTTP client with cookies ------------------------------------------


class Client:
    """One browser: a keep-alive connection and a cookie jar.

    With `retry=True` a request that fails on the connection is sent once more on a new one
    (what a browser does when a kept-alive socket turns out closed). Load tests that need
    to see every dropped request pass `retry=False` and decide themselves.
    """

    def __init__(self, port: int, *, retry: bool = True, timeout: float = 60):
        self.port, self.retry, self.timeout = port, retry, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict, str]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read().decode("utf-8", "replace")
                break
            except CONNECTION_ERRORS as exc:
                self.close()
                # A request that timed out may still be served: sending it again would put two
                # copies in flight, and the older one could land after a newer request (an
                # autosave overwritten by its own stale copy). A browser does not resend either.
                if attempt == 2 or not self.retry or isinstance(exc, TimeoutError):
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: list[tuple[str, str]]):
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def post_json(self, path: str, payload: dict, csrf: str):
        return self.request(
            "POST",
            path,
            json.dumps(payload).encode(),
            {"Content-Type": "application/json", "X-CSRFToken": csrf},
        )


def answer_options(page: str) -> dict[str, list[str]]:
    """Each answer field of an attempt page and the values it offers (empty: free text)."""
    options: dict[str, list[str]] = {}
    for tag, attributes in INPUT.findall(page):
        attrs = dict(ATTRIBUTE.findall(attributes))
        name = attrs.get("name", "")
        if name.startswith("q-"):
            values = options.setdefault(name, [])
            if tag == "input" and attrs.get("type") in ("radio", "checkbox"):
                values.append(attrs["value"])
    for name, body in SELECT.findall(page):
        options[name] = OPTION.findall(body)
    return options


# ---- database and server -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(kind: str, pg_url: str, workdir: Path, prefix: str = "bench"):
    """(URL of an empty database, function that drops it): a file in workdir, or a new
    PostgreSQL database on pg_url's server."""
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}", lambda: None
    url = make_url(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def start_gunicorn(
    database_url: str,
    port: int,
    workers: int,
    threads: int,
    log: Path,
    *,
    app_config: dict | None = None,
    keep_alive: int | None = None,
    env: dict | None = None,
) -> subprocess.Popen:
    """gunicorn (gthread) on 127.0.0.1:port in its own process group; returns once it answers.

    `app_config` is passed to create_app() as a literal (gunicorn evaluates factory
    arguments), for settings that have no environment variable; `env` adds to or overrides
    the environment below (bench/scaleout.py: Redis and the proxy).
    """
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret",
        "TRAINER_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TRAINER_LOGIN_RATE_LIMIT": "100000 per minute",
        "REDIS_URL": "",
        **(env or {}),
    }
    factory = f"trainer:create_app({app_config!r})" if app_config else "trainer:create_app()"
    command = [
        sys.executable,  # this environment's gunicorn, wherever it is installed
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
    ]
    if keep_alive is not None:
        command += ["--keep-alive", str(keep_alive)]
    server = subprocess.Popen(
        [*command, factory],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return wait_until_serving(server, port, "/login", seconds=90, name="gunicorn", log=log)


def wait_until_serving(
    server: subprocess.Popen, port: int, path: str, *, seconds: float, name: str, log: Path
) -> subprocess.Popen:
    """Return `server` once `path` answers on `port`; stop it and raise if it exits or times out."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            Client(port).get(path)
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"{name} exited, see {log}") from None
            time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"{name} did not start")


def worker_pids(server: subprocess.Popen) -> list[int]:
    """The gunicorn master's worker processes (its children), from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may contain spaces, so split after the last ')'.
        if int(stat.rpartition(")")[2].split()[1]) == server.pid:
            pids.append(int(entry.name))
    return sorted(pids)


def wait_for_workers(server: subprocess.Popen, workers: int, timeout: float = 60) -> list[int]:
    deadline = time.time() + timeout
    while len(pids := worker_pids(server)) < workers and time.time() < deadline:
        time.sleep(0.2)
    return pids


def stop(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(10)


# ---- figures -------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile of durations in seconds, in milliseconds (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def machine() -> str:
    """nproc, RAM, Python and (if reachable) PostgreSQL version, for the results file."""
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs, {memory}, Python {platform.python_version()}"


def postgres_version(pg_url: str) -> str:
    url = make_url(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SHOW server_version")).scalar_one()
    finally:
        engine.dispose()


def database_parser(doc: str) -> argparse.ArgumentParser:
    """The options every database benchmark takes: which database(s) and PostgreSQL's URL."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    return parser

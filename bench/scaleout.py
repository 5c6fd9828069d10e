"""Two app instances behind nginx on this machine; instance A is SIGKILLed mid-run (issue 21).

    .venv/bin/python bench/scaleout.py            # the realistic mix of bench/load.py, 200 users
    .venv/bin/python bench/scaleout.py --quick    # CI (tests/test_bench_scaleout.py): 20 users

A fresh PostgreSQL database (on --pg-url's server, dropped afterwards) is filled by
bench/load_setup.py as for bench/load.py, plus a few trainees whose internship is complete.
Instances A and B (gunicorn, the same SECRET_KEY, REDIS_URL=redis://…/--redis-db,
TRAINER_PROXY_HOPS=1) listen on two ports behind an nginx run as this user from a generated
config in a temp dir (`nginx -p DIR -c nginx.conf`) that includes deploy/nginx/trainer-proxy.conf,
the proxy settings of the production site. The mix of bench/load.py runs through nginx. At
--kill-after seconds a trainer signed in on A moves the finalists to FINAL_PASSED on A (which
issues their certificates), the verify rate limit is probed on A and B for one client address,
and then A's whole process group (master and workers) gets SIGKILL.

Checks (exit 1 when one fails): no acknowledged write lost (bench/load_checks.py); no request
failed beyond one retry (a 502 from nginx or a dropped connection counts as a drop, retried once;
a second failure is an error); every certificate issued on A downloads through nginx — now B —
with the SHA-256 stored at issue, using the session cookie made on A (sessions need only the
shared SECRET_KEY); the rate-limit counter for the probe address counts the hits of both
instances (shared in Redis).
"""

import argparse
import hashlib
import http.client
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    CSRF_INPUT,
    CSRF_META,
    ROOT,
    Client,
    free_port,
    fresh_database,
    machine,
    postgres_version,
    start_gunicorn,
    stop,
    wait_for_workers,
    wait_until_serving,
)
from load import FULL, QUICK, phase, prepare, report  # noqa: E402
from load_checks import check  # noqa: E402
from load_setup import PASSWORD, app_for  # noqa: E402
from redis import Redis  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

PROXY_SNIPPET = ROOT / "deploy/nginx/trainer-proxy.conf"
TRAINER = "BT0001"  # the bench trainer made by load_setup


def nginx_config(directory: Path, port: int, upstreams: list[int]) -> Path:
    """An nginx.conf for `nginx -p directory`: everything it writes stays in directory."""
    servers = "\n".join(
        f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;" for p in upstreams
    )
    user = "user root;\n" if os.geteuid() == 0 else ""  # root: workers would drop to nobody
    temp = "\n".join(
        f"  {kind}_temp_path {directory / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = f"""{user}worker_processes 1;
pid {directory / "nginx.pid"};
error_log {directory / "error.log"} warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
  log_format upstream '$remote_addr "$request" $status $upstream_addr $upstream_status';
  access_log {directory / "access.log"} upstream;
{temp}
  upstream trainer {{
{servers}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://trainer;
      include {PROXY_SNIPPET};
    }}
  }}
}}
"""
    path = directory / "nginx.conf"
    path.write_text(config)
    return path


def start_nginx(directory: Path, port: int, upstreams: list[int]) -> subprocess.Popen:
    config = nginx_config(directory, port, upstreams)
    command = ["nginx", "-p", str(directory), "-c", str(config)]
    test = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if test.returncode:
        raise RuntimeError(f"nginx refused its config:\n{test.stderr}")
    server = subprocess.Popen(
        command,
        stdout=(directory / "nginx.out").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return wait_until_serving(server, port, "/healthz", seconds=20, name="nginx", log=directory)


def add_finalists(database_url: str, files: Path, count: int) -> list[int]:
    """Trainees whose internship is complete (enrolment ids), ready for the final pass."""
    app = app_for(database_url, files)
    with app.app_context():
        from sqlalchemy import select

        from trainer.accounts.models import User
        from trainer.accounts.services import create_user
        from trainer.extensions import db
        from trainer.permissions import Role
        from trainer.training.models import Cohort
        from trainer.training.path import trainee_path
        from trainer.training.services import enrol
        from trainer.training.stages import Stage

        trainer = db.session.scalar(select(User).where(User.employee_no == TRAINER))
        cohort = db.session.scalar(select(Cohort).where(Cohort.trainer_id == trainer.id))
        ids = []
        for n in range(count):
            user = create_user(
                None,
                employee_no=f"BF{n:04d}",
                name=f"结业学员{n}",
                roles={Role.TRAINEE},
                password=PASSWORD,
                hall=trainer.hall,
            )
            enrolment = enrol(trainer, user, cohort)
            while not enrolment.stage.reached(Stage.INTERNSHIP_COMPLETE):
                trainee_path.advance(
                    enrolment, enrolment.stage.next(), trainer, override_reason="压测数据准备"
                )
            ids.append(enrolment.id)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
        return ids


def sign_in(port: int, employee_no: str) -> Client:
    client = Client(port)
    _, _, page = client.get("/login")
    fields = [("csrf_token", CSRF_INPUT.search(page).group(1))]
    status, _, _ = client.post_form(
        "/login", [*fields, ("employee_no", employee_no), ("password", PASSWORD)]
    )
    if status != 302:
        raise RuntimeError(f"{employee_no} could not sign in on port {port}: HTTP {status}")
    return client


class Instances:
    """A and B and what the mid-run step found out (certificates issued, rate-limit probe)."""

    def __init__(self, a: subprocess.Popen, ports: dict, finalists: list[int], redis_url: str):
        self.a, self.ports, self.finalists, self.redis_url = a, ports, finalists, redis_url
        self.trainer: Client | None = None
        self.issued: list[str] = []  # problems while issuing on A
        self.probe = f"198.51.100.{random.randrange(1, 255)}"
        self.probe_hits = 0
        self.probe_token = uuid.uuid4().hex[:8]

    def kill_a(self, recorder) -> int:
        """Issue certificates on A, probe the shared rate limit, then SIGKILL A."""
        self.trainer = sign_in(self.ports["A"], TRAINER)
        _, _, page = self.trainer.get("/")
        csrf = CSRF_META.search(page).group(1)
        for enrolment_id in self.finalists:
            status, _, _ = self.trainer.post_form(
                f"/enrolments/{enrolment_id}/advance",
                [("csrf_token", csrf), ("to_stage", "final_passed"), ("reason", "压测：结业")],
            )
            if status != 302:
                self.issued.append(f"advance {enrolment_id} on A: HTTP {status}")
        for name in ("A", "B", "A", "B"):
            client = Client(self.ports[name])
            status, _, _ = client.request(
                "GET", f"/verify/probe{self.probe_token}", headers={"X-Forwarded-For": self.probe}
            )
            self.probe_hits += status in (200, 404)
        recorder.kill_time = time.monotonic()
        os.killpg(self.a.pid, signal.SIGKILL)  # master and workers: the whole instance dies
        return self.a.pid

    def shared_rate_limit_count(self) -> int:
        """What Redis counts for the probe address (Flask-Limiter's keys name the address)."""
        redis = Redis.from_url(self.redis_url)
        try:
            return sum(int(redis.get(key) or 0) for key in redis.scan_iter(f"*{self.probe}*"))
        finally:
            redis.close()


def download(port: int, cookies: dict, certificate_id: int) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request("GET", f"/certificates/{certificate_id}/pdf", headers={"Cookie": cookie})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def certificates_through_b(database_url: str, nginx_port: int, instances: Instances) -> dict:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, pdf_sha256 FROM certificate WHERE enrolment_id = ANY(:ids)"
                    if engine.dialect.name == "postgresql"
                    else "SELECT id, pdf_sha256 FROM certificate"
                ),
                {"ids": instances.finalists},
            ).all()
    finally:
        engine.dispose()
    problems = list(instances.issued)
    if len(rows) != len(instances.finalists):
        problems.append(f"{len(rows)} certificates for {len(instances.finalists)} finalists")
    for certificate_id, sha256 in rows:
        status, body = download(nginx_port, instances.trainer.cookies, certificate_id)
        if status != 200 or not body.startswith(b"%PDF"):
            problems.append(f"certificate {certificate_id} through B: HTTP {status}")
        elif sha256 and hashlib.sha256(body).hexdigest() != sha256:
            problems.append(f"certificate {certificate_id} through B: SHA-256 differs")
    return {"certificates": len(rows), "problems": problems}


def served_by(access_log: Path, ports: dict) -> dict[str, int]:
    """Requests nginx passed to each instance (its access log names the upstream address;
    a request retried on the next instance names both)."""
    counts = dict.fromkeys(("A", "B"), 0)
    for line in access_log.read_text().splitlines():
        for name in counts:
            counts[name] += f"127.0.0.1:{ports[name]}" in line
    return counts


def run(args, profile) -> bool:
    workdir = Path(tempfile.mkdtemp(prefix="scaleout_"))
    database_url, drop = fresh_database("postgresql", args.pg_url, workdir, "scaleout_bench")
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    servers: dict[str, subprocess.Popen] = {}
    try:
        population = prepare("postgresql", database_url, workdir, profile)
        finalists = add_finalists(database_url, workdir / "files", args.finalists)
        ports = {"A": free_port(), "B": free_port(), "nginx": free_port()}
        for name in ("A", "B"):
            servers[name] = start_gunicorn(
                database_url,
                ports[name],
                profile.workers,
                profile.threads,
                workdir / f"gunicorn-{name}.log",
                app_config={
                    "CERTIFICATE_VERIFY_RATE_LIMIT": "100000 per minute",
                    "INSTANCE_FILES": str(workdir / "files"),  # one machine: one folder
                    "MODULE_READING_TIME": False,
                },
                keep_alive=75,
                env={
                    "REDIS_URL": redis_url,
                    "TRAINER_PROXY_HOPS": "1",
                    "TRAINER_PUBLIC_URL": f"http://127.0.0.1:{ports['nginx']}",
                },
            )
            wait_for_workers(servers[name], profile.workers)
        (workdir / "nginx").mkdir()
        servers["nginx"] = start_nginx(workdir / "nginx", ports["nginx"], [ports["A"], ports["B"]])
        instances = Instances(servers["A"], ports, finalists, redis_url)
        outcome = phase(
            "postgresql, two instances behind nginx, A killed",
            ports["nginx"],
            servers["B"],
            population,
            profile,
            instances.kill_a,
        )
        servers["A"].wait(10)
        certificates = certificates_through_b(database_url, ports["nginx"], instances)
        counted = instances.shared_rate_limit_count()
        for name in ("nginx", "B"):
            stop(servers.pop(name))
        served = served_by(workdir / "nginx/access.log", ports)
        outcome["check"] = check(database_url, workdir / "files", outcome, population)
    finally:
        for server in servers.values():
            stop(server)
        drop()
    print(f"\n## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — {machine()}, "
          f"PostgreSQL {postgres_version(args.pg_url)}")  # fmt: skip
    print(
        f"{profile.users} users through nginx to instances A and B (gunicorn "
        f"{profile.workers} workers × {profile.threads} threads each), A killed at "
        f"{profile.kill_after:.0f} s"
    )
    passed = report(outcome, profile)
    downloaded = certificates["certificates"] - len(certificates["problems"])
    print(
        f"certificates issued on A: {certificates['certificates']}, downloaded through B "
        f"with the session made on A: {downloaded}"
    )
    print(
        f"rate limit: {instances.probe_hits} probe hits on A and B, Redis counts {counted} "
        f"for {instances.probe}"
    )
    print(f"requests nginx passed to A: {served['A']}, to B: {served['B']}")
    for problem in certificates["problems"]:
        print(f"    ! {problem}")
    shared = counted == instances.probe_hits == 4
    ok = passed and not certificates["problems"] and shared and served["A"] and served["B"]
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min)")
    print("\nPASS" if ok else "\nFAIL")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("BENCH_REDIS_DB", 14)))
    parser.add_argument("--finalists", type=int, default=4, help="certificates issued on A")
    parser.add_argument("--quick", action="store_true", help="CI: 20 users, about a minute")
    args = parser.parse_args()
    return 0 if run(args, QUICK if args.quick else FULL) else 1


if __name__ == "__main__":
    sys.exit(main())

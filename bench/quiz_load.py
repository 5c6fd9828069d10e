"""200 trainees sit the pre-job exam at once against gunicorn: latency and lost answers.

    .venv/bin/python bench/quiz_load.py                # SQLite (WAL) and PostgreSQL, 200 trainees
    .venv/bin/python bench/quiz_load.py --quick        # CI: 40 trainees, fewer saves (≤ 60 s)
    .venv/bin/python bench/quiz_load.py --db sqlite --trainees 100 --saves 8
    .venv/bin/python bench/quiz_load.py --storm --trainees 400 --saves 1   # the start storm
    .venv/bin/python bench/quiz_load.py --takers 1000 --think 30-90 --ramp 120   # Moodle's shape

--storm: every trainee signs in and opens the quiz list first; then all click Start at the same
moment (a barrier), so "start" is the synchronised start of an exam session. --think LO-HI:
each trainee thinks LO–HI seconds (uniform) before each autosave instead of --interval
(Moodle's load-test shape; --takers is --trainees). --ramp S: trainees arrive (sign in and
start) over S seconds, as Moodle's load-test plans ramp up (default: --interval).

For each database the script creates a fresh one (a temp SQLite file, or a new PostgreSQL
database on --pg-url that it drops afterwards), loads question_banks/, enrols the trainees,
starts gunicorn on a free port, and runs one thread per trainee: log in through the real form
(CSRF included), start the exam, autosave every few seconds (JSON + X-CSRFToken, as the
browser does; timed once every trainee has the exam open, so the start burst shows as
"start"), submit — 10 % submit twice, like a double click. Afterwards it compares what
each trainee last had acknowledged with what the database holds: a lost answer is a question
whose saved answer differs from the last one the server confirmed. Targets (PostgreSQL):
autosave p95 < 50 ms, submit p95 < 150 ms, errors 0, lost answers 0.
"""

import contextlib
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402  (bench/harness.py: shared with bench/load.py)
    CSRF_INPUT,
    CSRF_META,
    Client,
    answer_options,
    database_parser,
    free_port,
    fresh_database,
    percentile,
    start_gunicorn,
    stop,
)
from sqlalchemy import select  # noqa: E402

PASSWORD = "bench-password-1"
START_FORM = re.compile(r'action="(/quizzes/\d+/start)"')


# ---- one simulated trainee ------------------------------------------------------------------


class Trainee(threading.Thread):
    def __init__(
        self, port: int, employee_no: str, saves: int, interval: float, results: dict, args=None
    ):
        super().__init__(daemon=True)
        self.client = Client(port)
        self.employee_no, self.saves, self.interval = employee_no, saves, interval
        self.results = results
        self.storm = bool(args and args.storm)
        self.ramp = args.ramp if args and args.ramp is not None else interval
        self.think_range = parse_think(args.think) if args and args.think else None
        self.acknowledged: dict[str, list[str]] = {}
        # Answers sent without an answer back (timed out): the server may or may not have
        # stored them, so either they or the acknowledged ones are what the database may hold.
        self.unconfirmed: dict[str, list[str]] = {}
        self.attempt_path = ""

    def record(self, kind: str, seconds: float, ok: bool) -> None:
        with self.results["lock"]:
            self.results[kind].append(seconds)
            if not ok:
                self.results["errors"].append(f"{self.employee_no} {kind}")

    def run(self) -> None:
        try:
            self.sit_exam()
        except Exception as exc:  # noqa: BLE001  (a benchmark reports, it does not crash)
            self.results["all_started"].abort()  # nobody waits for a trainee who gave up
            self.results["ready"].abort()
            with self.results["lock"]:
                self.results["errors"].append(f"{self.employee_no}: {exc!r}")

    def pause(self, rng: random.Random) -> float:
        """Seconds before the next autosave: --think's range, else about --interval."""
        if self.think_range:
            return rng.uniform(*self.think_range)
        return self.interval * rng.uniform(0.7, 1.3)

    def sit_exam(self) -> None:
        rng = random.Random(self.employee_no)
        if not self.storm:
            time.sleep(rng.uniform(0, self.ramp))  # trainees do not all click at once
        _, _, page = self.client.get("/login")
        csrf = CSRF_INPUT.search(page).group(1)
        status, _, _ = self.client.post_form(
            "/login",
            [("csrf_token", csrf), ("employee_no", self.employee_no), ("password", PASSWORD)],
        )
        if status != 302:
            raise RuntimeError(f"login {status}")
        _, _, page = self.client.get("/quizzes")
        start = START_FORM.search(page)
        csrf = CSRF_INPUT.search(page).group(1)
        if self.storm:  # everyone is on the quiz list: all click Start at once
            with contextlib.suppress(threading.BrokenBarrierError):
                self.results["ready"].wait(timeout=600)
        for _try in range(3):  # a busy server redirects back to the list: click Start again
            began = time.perf_counter()
            status, headers, _ = self.client.post_form(start.group(1), [("csrf_token", csrf)])
            self.attempt_path = urlsplit(headers.get("Location", "")).path
            started = status == 302 and "/attempts/" in self.attempt_path
            self.record("start", time.perf_counter() - began, started or _try < 2)
            if started:
                break
            time.sleep(1)
        else:
            raise RuntimeError(f"could not start the exam (HTTP {status})")
        _, _, page = self.client.get(self.attempt_path)
        # Everyone has the exam open before the autosaves are timed: the start burst (200
        # exam pages at once) is reported as "start", autosave and submit in steady state.
        with contextlib.suppress(threading.BrokenBarrierError):
            self.results["all_started"].wait(timeout=300)
        time.sleep(self.pause(rng) * rng.random())  # then each at their own pace
        header_csrf = CSRF_META.search(page).group(1)
        form_csrf = CSRF_INPUT.search(page).group(1)
        options = answer_options(page)
        slots = sorted({int(name.split("-")[1]) for name in options})
        answers: dict[str, list[str]] = {}
        # the browser sends every slot's review flag with the answers (one request per change)
        flagged = set(rng.sample(slots, k=min(2, len(slots))))
        flags = {str(s): s in flagged for s in slots}
        for _ in range(self.saves):
            for name in rng.sample(sorted(options), k=min(3, len(options))):
                choices = options[name]
                answers[name] = [rng.choice(choices)] if choices else [f"答案{rng.randint(1, 99)}"]
            sent = {k: list(v) for k, v in answers.items()}
            began = time.perf_counter()
            for _retry in range(3):  # like quiz_attempt.js: a busy server (503) is retried
                self.unconfirmed = sent  # until an answer comes back
                status, _, body = self.client.post_json(
                    f"{self.attempt_path}/save",
                    {"answers": sent, "slots": slots, "flags": flags},
                    header_csrf,
                )
                self.unconfirmed = {}
                if status != 503:
                    break
                with self.results["lock"]:
                    self.results["retries"] += 1
                time.sleep(1)
            ok = status == 200 and '"saved":true' in body.replace(" ", "")
            self.record("autosave", time.perf_counter() - began, ok)
            if ok:
                self.acknowledged = sent
            time.sleep(self.pause(rng))
        fields = [("csrf_token", form_csrf)] + [("slot", str(s)) for s in slots]
        fields += [(name, value) for name, values in answers.items() for value in values]
        clicks, tries = (2 if rng.random() < 0.1 else 1), 0  # a tenth double-click submit
        while clicks and tries < 5:
            tries += 1
            began = time.perf_counter()
            self.unconfirmed = {k: list(v) for k, v in answers.items()}
            status, headers, _ = self.client.post_form(f"{self.attempt_path}/submit", fields)
            self.unconfirmed = {}
            done = status == 303 and headers.get("Location", "").endswith("/review")
            if done:  # the submit saved these answers too
                self.acknowledged = {k: list(v) for k, v in answers.items()}
            self.record("submit", time.perf_counter() - began, done or tries < 5)
            clicks -= 1 if done else 0  # busy: back on the attempt page, submit again
            if not done:
                with self.results["lock"]:
                    self.results["retries"] += 1
                time.sleep(1)


def parse_think(value: str) -> tuple[float, float]:
    low, _, high = value.partition("-")
    return float(low), float(high or low)


# ---- set-up, server, checks ----------------------------------------------------------------


def prepare(database_url: str, trainees: int) -> list[str]:
    from trainer import create_app
    from trainer.accounts.services import create_user
    from trainer.extensions import db
    from trainer.permissions import Role
    from trainer.quizzes.library import load_question_banks
    from trainer.training.services import create_cohort, default_programme, enrol

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SECRET_KEY": "bench-secret",  # gunicorn's key on this database: one key per site
        }
    )
    with app.app_context():
        db.create_all()
        load_question_banks()
        trainer = create_user(
            None, employee_no="BT001", name="压测培训师", roles={Role.TRAINER}, password=PASSWORD
        )
        cohort = create_cohort(
            trainer,
            name="压测班",
            programme=default_programme(),
            trainer=trainer,
            start_date=date.today(),
        )
        numbers = []
        for n in range(trainees):
            user = create_user(
                None,
                employee_no=f"B{n:04d}",
                name=f"学员{n}",
                roles={Role.TRAINEE},
                password=PASSWORD,
            )
            enrol(None, user, cohort)
            numbers.append(user.employee_no)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return numbers


def lost_answers(database_url: str, trainees: list[Trainee]) -> tuple[int, int, int]:
    """(lost answers, attempts per trainee ≠ 1, attempts not submitted), from the database."""
    from trainer import create_app
    from trainer.extensions import db
    from trainer.quizzes.models import Attempt, AttemptState
    from trainer.quizzes.services import group_fields, load_responses

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret"})
    lost = wrong_count = open_attempts = 0
    with app.app_context():
        for trainee in trainees:
            attempts = db.session.scalars(
                select(Attempt)
                .join(Attempt.user)
                .where(Attempt.user.has(employee_no=trainee.employee_no))
                .order_by(Attempt.number)  # the last one is the one the trainee answered in
            ).all()
            wrong_count += len(attempts) != 1
            open_attempts += sum(a.state == AttemptState.IN_PROGRESS for a in attempts)
            if not attempts:
                lost += len(group_fields(trainee.acknowledged))
                continue
            lost += sum(answer_lost(response, trainee) for response in load_responses(attempts[-1]))
        db.session.remove()
        db.engine.dispose()
    return lost, wrong_count, open_attempts


def answer_lost(response, trainee: Trainee) -> bool:
    """The stored answer is neither the last one the server confirmed nor one sent later
    whose outcome the trainee never learnt (a timed-out save the server went on to store)."""
    from trainer.quizzes.question_types import get_question_type
    from trainer.quizzes.services import group_fields

    expected = group_fields(trainee.acknowledged)
    if response.slot not in expected:
        return False
    kind = get_question_type(response.version.type)
    allowed = [expected[response.slot], group_fields(trainee.unconfirmed).get(response.slot)]
    return all(
        response.value != kind.parse_answer(response.version.payload, response.layout, fields)
        for fields in allowed
        if fields is not None
    )


def run(kind: str, args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="quiz_load_"))
    database_url, drop = fresh_database(kind, args.pg_url, workdir, prefix="quiz_bench")
    server = None
    try:
        began = time.perf_counter()
        numbers = prepare(database_url, args.trainees)
        print(
            f"[{kind}] prepared {len(numbers)} trainees in {time.perf_counter() - began:.1f} s",
            flush=True,
        )
        port = free_port()
        server = start_gunicorn(
            database_url, port, args.workers, args.threads, workdir / "gunicorn.log"
        )
        results = {
            "all_started": threading.Barrier(len(numbers)),
            "ready": threading.Barrier(len(numbers)),
            "retries": 0,
            "lock": threading.Lock(),
            "start": [],
            "autosave": [],
            "submit": [],
            "errors": [],
        }
        trainees = [Trainee(port, n, args.saves, args.interval, results, args) for n in numbers]
        began = time.perf_counter()
        for trainee in trainees:
            trainee.start()
        for trainee in trainees:
            trainee.join(600 + (trainee.think_range[1] * (args.saves + 1) if args.think else 0))
        wall = time.perf_counter() - began
        load = os.getloadavg()
        stop(server)
        server = None
        lost, wrong_count, still_open = lost_answers(database_url, trainees)
        return {
            "db": kind,
            "trainees": len(numbers),
            "wall_s": wall,
            "load": load,
            "results": results,
            "lost": lost,
            "attempt_count_mismatches": wrong_count,
            "still_open": still_open,
        }
    finally:
        if server is not None:
            stop(server)
        drop()


def report(outcome: dict) -> None:
    r = outcome["results"]
    print(
        f"\n== {outcome['db']}: {outcome['trainees']} concurrent trainees, "
        f"{outcome['wall_s']:.1f} s wall, load average "
        f"{'/'.join(f'{x:.1f}' for x in outcome['load'])} (1/5/15 min) "
        f"on {os.cpu_count()} CPUs"
    )
    for kind in ("start", "autosave", "submit"):
        values = r[kind]
        print(
            f"  {kind:9} n={len(values):5}  p50 {percentile(values, 50):7.1f} ms  "
            f"p95 {percentile(values, 95):7.1f} ms  max {percentile(values, 100):7.1f} ms"
            + (f"  mean {statistics.mean(values) * 1000:6.1f} ms" if values else "")
        )
    print(
        f"  errors {len(r['errors'])}   requests retried (server busy) {r['retries']}   "
        f"lost answers {outcome['lost']}   "
        f"trainees without exactly one attempt {outcome['attempt_count_mismatches']}   "
        f"attempts left open {outcome['still_open']}"
    )
    for error in r["errors"][:20]:
        print(f"    ! {error}")


def main() -> int:
    parser = database_parser(__doc__)
    parser.add_argument("--trainees", "--takers", type=int, default=200)
    parser.add_argument("--storm", action="store_true", help="all click Start at the same moment")
    parser.add_argument("--think", help="LO-HI seconds of think time before each autosave")
    parser.add_argument("--ramp", type=float, help="trainees arrive over this many seconds")
    parser.add_argument("--saves", type=int, default=6, help="autosaves per trainee")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between autosaves")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="CI: 40 trainees, 3 saves, 1 s apart")
    args = parser.parse_args()
    if args.quick:
        args.trainees, args.saves, args.interval = min(args.trainees, 40), 3, 1.0
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    outcomes = [run(kind, args) for kind in kinds]
    for outcome in outcomes:
        report(outcome)
    failed = any(
        o["lost"] or o["attempt_count_mismatches"] or o["still_open"] or o["results"]["errors"]
        for o in outcomes
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

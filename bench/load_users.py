"""The simulated people of bench/load.py: each a thread with its own browser (cookies, CSRF).

Every request goes through `Session.call`, which times it per endpoint and sorts failures:
an unexpected status or page is an error; a dropped connection (the worker that held it died)
is retried once on a new connection — safe because autosave, submit, studied and sign-off
are idempotent by design — and counted as a drop. What the server acknowledged is kept in
the records below, for the database check afterwards.
"""

import json
import random
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from harness import CONNECTION_ERRORS, CSRF_INPUT, CSRF_META, Client, answer_options

TOKEN_INPUT = re.compile(r'name="token"[^>]*value="([^"]+)"')
ITEM_INPUT = re.compile(r'name="items"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="items"')
VERIFY_STATUS = re.compile(r'data-testid="verify-result" data-status="(\w+)"')


# What nginx answers when the upstream instance died with the request (bench/scaleout.py).
GATEWAY_LOST = (502, 504)


class Abort(Exception):
    """This user cannot go on (the reason is already recorded)."""


class Recorder:
    """Timings per endpoint, errors and drops, shared by all users of one phase."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.failed: dict[str, int] = defaultdict(int)  # unexpected errors per endpoint
        self.dropped: dict[str, int] = defaultdict(int)  # drops per endpoint (kill phase)
        self.errors: list[str] = []
        self.drops: list[str] = []  # connections lost while a worker was killed
        self.busy = 0  # requests answered 503 "busy, retry" and sent again, as the pages do
        self.kill_time: float | None = None

    def timing(self, endpoint: str, seconds: float) -> None:
        with self.lock:
            self.timings[endpoint].append(seconds)

    def error(self, endpoint: str, message: str) -> None:
        with self.lock:
            self.failed[endpoint] += 1
            self.errors.append(f"{endpoint}: {message}")

    def drop(self, endpoint: str, message: str) -> None:
        """A lost connection: expected after the kill, an error otherwise."""
        with self.lock:
            if self.kill_time is not None and time.monotonic() >= self.kill_time:
                self.dropped[endpoint] += 1
                self.drops.append(f"{endpoint}: {message}")
                return
        self.error(endpoint, f"connection lost: {message}")


@dataclass
class ExamRecord:
    employee_no: str
    attempt_id: int | None = None
    acknowledged: dict[str, list[str]] = field(default_factory=dict)
    pending: list[dict[str, list[str]]] = field(default_factory=list)  # sent, not confirmed
    submitted: bool = False


@dataclass
class SignOffRecord:
    token: str
    enrolment_id: int
    task_id: int
    mentor: str
    rating: int
    grade: str


class Session:
    def __init__(self, port: int, recorder: Recorder, rng: random.Random, think: float):
        self.client = Client(port, retry=False)
        self.recorder, self.rng, self.think_time = recorder, rng, think

    def think(self, factor: float = 1.0) -> None:
        time.sleep(self.think_time * factor * self.rng.uniform(0.5, 1.5))

    BUSY_RETRIES = 6  # the 503 page re-sends a form 5 times; autosave keeps trying longer

    def call(self, endpoint: str, send, expect: int | tuple[int, ...] = 200):
        """Send; a dropped connection is retried once, a 503 (database busy: nothing was
        written) is sent again after its Retry-After, as the pages do, and counted as retried."""
        expected = (expect,) if isinstance(expect, int) else expect
        attempt, busy = 0, 0
        while True:
            attempt += 1
            began = time.perf_counter()
            try:
                status, headers, body = send()
            except CONNECTION_ERRORS as exc:
                self.client.close()
                self.recorder.drop(endpoint, repr(exc))
                if attempt >= 2:
                    self.recorder.error(endpoint, "dropped again after one retry")
                    raise Abort from exc
                continue
            if status in GATEWAY_LOST:  # behind nginx: the instance died holding the request
                self.recorder.drop(endpoint, f"HTTP {status} from the load balancer")
                if attempt >= 2:
                    self.recorder.error(endpoint, "dropped again after one retry")
                    raise Abort
                continue
            if status == 503 and busy < self.BUSY_RETRIES:
                busy += 1
                with self.recorder.lock:
                    self.recorder.busy += 1
                time.sleep(float(dict(headers).get("Retry-After", "2")))
                continue
            elapsed = time.perf_counter() - began
            if status not in expected:
                self.recorder.error(endpoint, f"HTTP {status}")
                raise Abort
            self.recorder.timing(endpoint, elapsed)
            return status, headers, body

    def get(self, endpoint: str, path: str, expect=200):
        return self.call(endpoint, lambda: self.client.get(path), expect)

    def login(self, employee_no: str, password: str) -> None:
        _, _, page = self.get("GET /login", "/login")
        csrf = CSRF_INPUT.search(page).group(1)
        fields = [("csrf_token", csrf), ("employee_no", employee_no), ("password", password)]
        self.call("POST /login", lambda: self.client.post_form("/login", fields), 302)


def run_user(behaviour, session: Session, *args) -> None:
    try:
        behaviour(session, *args)
    except Abort:
        pass
    except Exception as exc:  # noqa: BLE001  (a benchmark reports, it does not crash)
        session.recorder.error(behaviour.__name__, repr(exc))


# ---- trainees -------------------------------------------------------------------------------


def browse(s: Session, modules: list[tuple[str, list[str]]], procedures: list[str]) -> None:
    """A look around: the module list, a page of a module, a procedure and its cue card."""
    s.get("GET /", "/")
    s.think()
    s.get("GET /modules", "/modules")
    s.think()
    key, pages = s.rng.choice(modules)
    s.get("GET /modules/<key>", f"/modules/{key}?page={s.rng.choice(pages)}")
    s.think()
    s.get("GET /procedures", "/procedures")
    s.think()
    procedure = s.rng.choice(procedures)
    s.get("GET /procedures/<key>", f"/procedures/{procedure}")
    s.think()
    s.get("GET /procedures/<key>/card", f"/procedures/{procedure}/card")


def sit_exam(
    s: Session, employee_no: str, password: str, population, saves: int, interval: float, out
) -> None:
    record = ExamRecord(employee_no)
    out.append(record)
    s.login(employee_no, password)
    browse(s, population.modules, population.procedures)
    s.think()
    _, _, page = s.get("GET /quizzes", "/quizzes")
    action = f"/quizzes/{population.exam_quiz_id}/start"
    if action not in page:
        s.recorder.error("GET /quizzes", f"{employee_no}: no start button for the exam")
        raise Abort
    csrf = CSRF_INPUT.search(page).group(1)
    _, headers, _ = s.call(
        "POST /quizzes/<id>/start",
        lambda: s.client.post_form(action, [("csrf_token", csrf)]),
        302,
    )
    attempt_path = urlsplit(headers["Location"]).path
    record.attempt_id = int(attempt_path.rsplit("/", 1)[1])
    _, _, page = s.get("GET /attempts/<id>", attempt_path)
    header_csrf = CSRF_META.search(page).group(1)
    form_csrf = CSRF_INPUT.search(page).group(1)
    options = answer_options(page)
    slots = sorted({int(name.split("-")[1]) for name in options})
    answers: dict[str, list[str]] = {}
    for _ in range(saves):
        time.sleep(interval * s.rng.uniform(0.7, 1.3))
        for name in s.rng.sample(sorted(options), k=min(3, len(options))):
            choices = options[name]
            answers[name] = [s.rng.choice(choices)] if choices else [f"答案{s.rng.randint(1, 99)}"]
        sent = {k: list(v) for k, v in answers.items()}
        record.pending.append(sent)
        payload = {"answers": sent, "slots": slots}
        _status, _, body = s.call(  # a 503 (busy) is retried inside, as quiz_attempt.js does
            "POST /attempts/<id>/save",
            lambda body=payload: s.client.post_json(f"{attempt_path}/save", body, header_csrf),
        )
        if json.loads(body).get("saved") is not True:
            s.recorder.error("POST /attempts/<id>/save", f"{employee_no}: not saved: {body[:80]}")
            raise Abort
        record.acknowledged, record.pending = sent, []
    fields = [("csrf_token", form_csrf)] + [("slot", str(slot)) for slot in slots]
    fields += [(name, value) for name, values in answers.items() for value in values]
    final = {k: list(v) for k, v in answers.items()}
    record.pending.append(final)
    for _ in range(2 if s.rng.random() < 0.1 else 1):  # a tenth double-click submit
        _, headers, _ = s.call(
            "POST /attempts/<id>/submit",
            lambda: s.client.post_form(f"{attempt_path}/submit", fields),
            303,
        )
        record.acknowledged, record.pending, record.submitted = final, [], True
    s.get("GET /attempts/<id>/review", urlsplit(headers["Location"]).path)


def study(s: Session, employee_no: str, password: str, population, pages: int, out) -> None:
    """Read pages in the programme's order and mark each studied, as a new trainee does."""
    s.login(employee_no, password)
    s.get("GET /modules", "/modules")
    todo = [(key, page) for key, keys in population.modules for page in keys][:pages]
    for key, page_key in todo:
        s.think()
        _, _, page = s.get("GET /modules/<key>", f"/modules/{key}?page={page_key}")
        csrf = CSRF_INPUT.search(page).group(1)
        opened = f"/modules/{key}/pages/{page_key}/opened"
        s.call(  # the page's beacon (module_page.js): the first view, for the reading time
            "POST /modules/<key>/pages/<page>/opened",
            lambda opened=opened, csrf=csrf: s.client.post_json(opened, {}, csrf),
            204,
        )
        s.think()
        path = f"/modules/{key}/pages/{page_key}/studied"
        _, headers, _ = s.call(
            "POST /modules/<key>/pages/<page>/studied",
            lambda path=path, csrf=csrf: s.client.post_form(path, [("csrf_token", csrf)]),
            302,
        )
        target = urlsplit(headers["Location"])
        if target.path == f"/modules/{key}" and not target.query:  # "study … first"
            s.recorder.error("POST /modules/<key>/pages/<page>/studied", f"{key} locked")
            raise Abort
        out.append((employee_no, key, page_key))
    s.think()
    s.get("GET /procedures/<key>", f"/procedures/{s.rng.choice(population.procedures)}")


# ---- mentors and visitors ---------------------------------------------------------------------


def sign_offs(
    s: Session, mentor: str, password: str, mentees: list[tuple[int, list[int]]], count: int, out
) -> None:
    """A mentor at the counter: open a mentee, open a task, tick every item, sign."""
    s.login(mentor, password)
    s.get("GET /internship/mentees", "/internship/mentees")
    for _ in range(count):
        s.think()
        enrolment_id, tasks = s.rng.choice(mentees)
        task_id = s.rng.choice(tasks)
        s.get("GET /internship/mentees/<id>", f"/internship/mentees/{enrolment_id}")
        s.think(0.5)
        path = f"/internship/mentees/{enrolment_id}/tasks/{task_id}"
        _, _, page = s.get("GET /internship/mentees/<id>/tasks/<id>", path)
        token = TOKEN_INPUT.search(page).group(1)
        items = sorted({int(a or b) for a, b in ITEM_INPUT.findall(page)})
        rating, grade = s.rng.randint(3, 5), s.rng.choice(("pass", "excellent"))
        fields = [
            ("csrf_token", CSRF_INPUT.search(page).group(1)),
            ("observed_on", datetime.now(UTC).date().isoformat()),
            *[("items", str(i)) for i in items],
            ("rating", str(rating)),
            ("grade", grade),
            ("comment", "压测：现场观察，流程完整。"),
            ("duty_manager_present", "y"),
            ("token", token),
        ]
        s.think(0.5)
        for _ in range(2 if s.rng.random() < 0.1 else 1):  # a tenth double tap
            s.call(
                "POST /internship/mentees/<id>/tasks/<id>",
                lambda path=path, fields=fields: s.client.post_form(path, fields),
                302,
            )
            out.append(SignOffRecord(token, enrolment_id, task_id, mentor, rating, grade))


def verify(s: Session, certificates: list[tuple[str, str]], count: int) -> None:
    """An anonymous visitor checks certificates by code; a tenth are mistyped (unknown)."""
    for _ in range(count):
        s.think()
        if s.rng.random() < 0.1:
            code, status = (
                "".join(s.rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=20)),
                ("unknown"),
            )
        else:
            code, status = s.rng.choice(certificates)
        _, _, page = s.get("GET /verify/<code>", f"/verify/{code}")
        shown = VERIFY_STATUS.search(page)
        if shown is None or shown.group(1) != status:
            s.recorder.error("GET /verify/<code>", f"{code}: expected {status}")
            raise Abort

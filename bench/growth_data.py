"""A province-sized database for the growth benches: N trainees with everything they leave behind.

    from growth_data import build
    info = build(database_url, trainees=20_000, files=Path("/tmp/files"))

How it is built (documented in bench/RESULTS.md too):

1. **Services for a sample.** The schema comes from the models, the repository's library from
   `trainer load-library` (the CLI, as an operator runs it), and the sample from
   `trainer seed-demo`: 20 trainees spread over every stage of the path, made by the features'
   own services — modules studied, drills played, exams sat and graded, placements with
   mentors, sign-offs, path changes, certificates issued, audit rows written.
2. **Bulk for the rest.** Every further trainee is a copy of one of those 20 service-made
   trainees (round robin, so the stage mix of the sample is kept): their user and role, their
   enrolment (in a bulk cohort of `COHORT_SIZE`), stage changes, page studies and views,
   attempts with every response, drill sessions with every step, placement (with one of the
   bulk mentors, `MENTEES_PER_MENTOR` each), sign-offs, absences, log entries, certificates
   (new serial and verification code), coaching records and the audit rows about any of them,
   with every id and foreign key renumbered. Trainees whose sample has fewer than two graded
   attempts get 2–4 attempts in total by copying practice/pre-job attempts (with responses)
   of other sample trainees. Rows go in `CHUNK` trainees at a time so memory stays bounded,
   with explicit ids (PostgreSQL's sequences are moved on afterwards): on PostgreSQL through
   COPY (each value through its column's SQLAlchemy bind processor, as the ORM would store
   it), elsewhere with SQLAlchemy core `insert(table)` + a list of parameter sets
   (executemany, batched by the dialect's insertmanyvalues).

Copies share the sample's timestamps and answers, which is what the list pages, dashboards and
exports care about: row counts and the shape of each trainee's history.
"""

import os
import random
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, fresh_database, machine, postgres_version  # noqa: E402
from load_setup import load_library  # noqa: E402

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import JSON, func, insert, select, text  # noqa: E402

COHORT_SIZE = 50
MENTEES_PER_MENTOR = 8
CHUNK = 500
SAMPLE_PREFIX = "E"  # the demo trainees E0001–E0020
PASSWORD = "demo1234"  # the demo seed's password, shared by every copy
PRACTISED = ("practice", "pre_job")  # purposes whose attempts top a copy up to 2–4


@dataclass
class Built:
    trainees: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    sample_cohort_id: int = 0
    admin: str = "A0001"
    trainer: str = "T0001"


# table → (column that ties a row to its parent, parent table)
# Order matters: parents before children.
TREE: list[tuple[str, str, str]] = [
    ("user_role", "user_id", "user"),
    ("enrolment", "user_id", "user"),
    ("stage_change", "enrolment_id", "enrolment"),
    ("page_study", "user_id", "user"),
    ("page_view", "user_id", "user"),
    ("attempt", "user_id", "user"),
    ("response", "attempt_id", "attempt"),
    ("drill_session", "user_id", "user"),
    ("drill_step", "session_id", "drill_session"),
    ("placement", "enrolment_id", "enrolment"),
    ("internship_sign_off", "enrolment_id", "enrolment"),
    ("internship_absence", "enrolment_id", "enrolment"),
    ("internship_log_entry", "enrolment_id", "enrolment"),
    ("certificate", "user_id", "user"),
    ("coaching_record", "trainee_id", "user"),
]
# Foreign keys to renumber, beyond the parent column: column → table whose ids it holds.
REMAP = {
    "enrolment": {},
    "internship_sign_off": {"placement_id": "placement"},
    "internship_log_entry": {"task_id": None},
    "certificate": {"enrolment_id": "enrolment"},
    "coaching_record": {"enrolment_id": "enrolment"},
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def build(
    database_url: str,
    trainees: int,
    files: Path,
    *,
    seed: int = 2026,
    log=print,
) -> Built:
    """Create the schema, load the library, seed the 20-trainee sample through the services and
    copy it in bulk up to `trainees`. The database must be empty."""
    from trainer import create_app
    from trainer.extensions import db

    started = time.perf_counter()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_FILES": str(files),
            "SECRET_KEY": "bench-secret",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        db.create_all()
        db.session.remove()
    load_library(database_url)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--seed", str(seed)])
    if result.exit_code:
        raise RuntimeError(f"seed-demo failed: {result.output}\n{result.exception!r}")
    log(
        f"  library + 20-trainee sample through the services: {time.perf_counter() - started:.1f} s"
    )
    with app.app_context():
        try:
            built = _bulk(trainees, random.Random(seed), log)
        finally:
            db.session.remove()
            db.engine.dispose()
    built.seconds = time.perf_counter() - started
    return built


# ---- bulk copies -------------------------------------------------------------------------


class Ids:
    """Explicit ids for the copies: next free id per table (one process writes the database)."""

    def __init__(self, conn, tables):
        self.next = {}
        for name, table in tables.items():
            if "id" in table.c and table.c.id.primary_key:
                self.next[name] = (conn.scalar(select(func.max(table.c.id))) or 0) + 1

    def take(self, name: str) -> int:
        value = self.next[name]
        self.next[name] = value + 1
        return value


def _template_rows(conn, tables, user_ids: list[int]) -> dict[int, dict[str, list[dict]]]:
    """{sample user id: {table: [row dicts]}}, following TREE from each user."""
    rows: dict[int, dict[str, list[dict]]] = {}
    for uid in user_ids:
        mine: dict[str, list[dict]] = {
            "user": [
                dict(r._mapping)
                for r in conn.execute(select(tables["user"]).where(tables["user"].c.id == uid))
            ]
        }
        for name, column, parent in TREE:
            parent_ids = [r["id"] for r in mine.get(parent, [])]
            table = tables[name]
            mine[name] = (
                [
                    dict(r._mapping)
                    for r in conn.execute(select(table).where(table.c[column].in_(parent_ids)))
                ]
                if parent_ids
                else []
            )
        audit = tables["audit_entry"]
        targets = [
            (name, str(r["id"]))
            for name in ("user", "enrolment", "certificate", "placement")
            for r in mine[name]
        ]
        mine["audit_entry"] = [
            dict(r._mapping)
            for name, target_id in targets
            for r in conn.execute(
                select(audit).where(audit.c.target_type == name, audit.c.target_id == target_id)
            )
        ]
        rows[uid] = mine
    return rows


def _bulk(trainees: int, rng: random.Random, log) -> Built:
    from trainer.extensions import db
    from trainer.permissions import Role

    tables = db.metadata.tables
    built = Built(trainees=trainees, seconds=0)
    with db.engine.begin() as conn:
        user = tables["user"]
        sample = list(
            conn.execute(
                select(user.c.id, user.c.employee_no)
                .where(user.c.employee_no.like(f"{SAMPLE_PREFIX}%"))
                .order_by(user.c.employee_no)
            )
        )
        sample_ids = [r.id for r in sample]
        templates = _template_rows(conn, tables, sample_ids)
        built.sample_cohort_id = conn.scalar(
            select(tables["enrolment"].c.cohort_id).where(
                tables["enrolment"].c.user_id == sample_ids[-1]
            )
        )
        donors = _donor_attempts(conn, tables, templates)
        staff = dict(
            conn.execute(
                select(user.c.employee_no, user.c.id).where(
                    user.c.employee_no.in_(["T0001", "T0002", "A0001"])
                )
            ).all()
        )
        hall_ids = list(conn.scalars(select(tables["hall"].c.id).order_by(tables["hall"].c.id)))
        programme = conn.execute(
            select(tables["cohort"]).where(tables["cohort"].c.id == built.sample_cohort_id)
        ).one()
        ids = Ids(conn, tables)
        copies = max(0, trainees - len(sample_ids))
        # Bulk cohorts (COHORT_SIZE each) and mentors (MENTEES_PER_MENTOR interns each).
        cohorts = []
        cohort_rows = []
        for c in range((copies + COHORT_SIZE - 1) // COHORT_SIZE):
            cid = ids.take("cohort")
            cohorts.append(cid)
            cohort_rows.append(
                {
                    "id": cid,
                    "name": f"第{c + 1:04d}期新员工上岗培训班",
                    "programme_id": programme.programme_id,
                    "trainer_id": staff["T0001" if c % 2 == 0 else "T0002"],
                    "start_date": programme.start_date - timedelta(days=7 * (c % 20)),
                    "created_at": programme.created_at,
                    "updated_at": programme.updated_at,
                }
            )
        _insert(conn, tables["cohort"], cohort_rows)
        mentors, mentor_rows, mentor_roles = [], [], []
        interning = sum(1 for uid in sample_ids if templates[uid]["placement"])
        need = max(1, copies * interning // max(1, len(sample_ids)) // MENTEES_PER_MENTOR + 1)
        template_user = templates[sample_ids[0]]["user"][0]
        for m in range(need):
            mid = ids.take("user")
            mentors.append(mid)
            mentor_rows.append(
                {
                    **template_user,
                    "id": mid,
                    "employee_no": f"GM{m + 1:05d}",
                    "name": f"{SURNAMES[m % len(SURNAMES)]}师傅{m + 1}",
                    "hall_id": hall_ids[m % len(hall_ids)],
                }
            )
            mentor_roles.append({"id": ids.take("user_role"), "user_id": mid, "role": Role.MENTOR})
        _insert(conn, user, mentor_rows)
        _insert(conn, tables["user_role"], mentor_roles)

        batch: dict[str, list[dict]] = defaultdict(list)
        placed = 0
        for n in range(copies):
            template = templates[sample_ids[n % len(sample_ids)]]
            mentor = None
            if template["placement"]:
                mentor = mentors[(placed // MENTEES_PER_MENTOR) % len(mentors)]
                placed += 1
            _copy(n, template, donors, batch, ids, cohorts[n // COHORT_SIZE], mentor, rng, hall_ids)
            if (n + 1) % CHUNK == 0 or n + 1 == copies:
                for name in ["user", *(t for t, _c, _p in TREE), "audit_entry"]:
                    _insert(conn, tables[name], batch.pop(name, []))
                batch.clear()
                if (n + 1) % (CHUNK * 8) == 0:
                    log(f"  {n + 1 + len(sample_ids):,} trainees")
        if conn.dialect.name == "postgresql":
            for name in ids.next:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                        f'(SELECT COALESCE(MAX(id), 1) FROM "{name}"))'
                    )
                )
            conn.execute(text("ANALYZE"))
        for name in [
            "user",
            "enrolment",
            "attempt",
            "response",
            "drill_session",
            "placement",
            "internship_sign_off",
            "certificate",
            "audit_entry",
            "page_study",
        ]:
            built.counts[name] = conn.scalar(select(func.count()).select_from(tables[name]))
    return built


def _donor_attempts(conn, tables, templates) -> list[tuple[dict, list[dict]]]:
    """Graded attempts of practice or pre-job quizzes in the sample, with their responses."""
    quiz = tables["quiz"]
    purposes = dict(conn.execute(select(quiz.c.id, quiz.c.purpose)).all())
    donors = []
    for mine in templates.values():
        for attempt in mine["attempt"]:
            if attempt["state"] == "graded" and purposes[attempt["quiz_id"]] in PRACTISED:
                responses = [r for r in mine["response"] if r["attempt_id"] == attempt["id"]]
                donors.append((attempt, responses))
    return donors


def _copy(n, template, donors, batch, ids, cohort_id, mentor_id, rng, hall_ids) -> None:
    """Add copy number `n` of a sample trainee to `batch`, renumbering every id."""
    new: dict[str, dict[int, int]] = defaultdict(dict)
    number = n + 1
    for row in template["user"]:
        uid = ids.take("user")
        new["user"][row["id"]] = uid
        batch["user"].append(
            {
                **row,
                "id": uid,
                "employee_no": f"G{number:06d}",
                "name": f"{SURNAMES[number % len(SURNAMES)]}学员{number}",
                "hall_id": hall_ids[number % len(hall_ids)],
                "email": None,
                "phone": None,
            }
        )
    for name, column, parent in TREE:
        extra = REMAP.get(name, {})
        for row in template[name]:
            copy = dict(row)
            copy[column] = new[parent][row[column]]
            if "id" in row and name in ids.next:
                copy["id"] = ids.take(name)
                new[name][row["id"]] = copy["id"]
            for col, target in extra.items():
                if target and row[col] is not None:
                    copy[col] = new[target][row[col]]
            if name == "enrolment":
                copy["cohort_id"] = cohort_id
            elif name == "placement":
                copy["mentor_id"] = mentor_id
            elif name == "internship_sign_off":
                copy["mentor_id"] = mentor_id or copy["mentor_id"]
                copy["idempotency_token"] = uuid.uuid4().hex
            elif name == "certificate":
                copy.update(
                    sequence=100_000 + number,
                    serial=f"{row['year']}G{number:07d}",
                    verification_code=uuid.uuid4().hex,
                    employee_no=f"G{number:06d}",
                    pdf_path=None,
                    pdf_sha256=None,
                    pdf_size=None,
                    superseded_by_id=None,
                )
            batch[name].append(copy)
    _add_attempts(template, donors, batch, ids, new, rng)
    for row in template["audit_entry"]:
        target = new.get(row["target_type"], {}).get(int(row["target_id"]))
        if target is not None:
            batch["audit_entry"].append(
                {**row, "id": ids.take("audit_entry"), "target_id": str(target)}
            )


def _add_attempts(template, donors, batch, ids, new, rng) -> None:
    """Top a copy up to 2–4 attempts with copies of the sample's practice/pre-job attempts."""
    have = len(template["attempt"])
    want = rng.randint(2, 4)
    if have >= want or not donors:
        return
    uid = next(iter(new["user"].values()))
    numbers = defaultdict(int)
    for row in template["attempt"]:
        numbers[row["quiz_id"]] = max(numbers[row["quiz_id"]], row["number"])
    for _ in range(want - have):
        attempt, responses = donors[rng.randrange(len(donors))]
        numbers[attempt["quiz_id"]] += 1
        aid = ids.take("attempt")
        batch["attempt"].append(
            {**attempt, "id": aid, "user_id": uid, "number": numbers[attempt["quiz_id"]]}
        )
        for r in responses:
            batch["response"].append({**r, "id": ids.take("response"), "attempt_id": aid})


def _insert(conn, table, rows: list[dict]) -> None:
    """Bulk insert: PostgreSQL's COPY (values through the columns' own SQLAlchemy bind
    processors, so enums and JSON are stored exactly as the ORM would), else executemany."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from psycopg.types.json import Json

        columns = list(rows[0])
        processors = [
            (lambda v: None if v is None else Json(v))
            if isinstance(table.c[c].type, JSON)
            else table.c[c].type.bind_processor(conn.dialect)
            for c in columns
        ]
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(
                    [
                        process(row[c]) if process else row[c]
                        for c, process in zip(columns, processors, strict=True)
                    ]
                )
        cursor.close()
        return
    for start in range(0, len(rows), 5_000):
        conn.execute(insert(table), rows[start : start + 5_000])


def built_databases(sqlite: bool, pg_url: str, sizes: list[int], prefix: str):
    """For each size: a fresh database built with that many trainees, as (size, url, files
    folder); the database is dropped when the caller moves on. Prints the machine first."""
    kind = "sqlite" if sqlite else "postgresql"
    print(f"{machine()}; {kind}" + ("" if sqlite else f" {postgres_version(pg_url)}"))
    print(f"load average at start: {os.getloadavg()}", flush=True)
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url, drop = fresh_database(kind, pg_url, Path(tmp), prefix)
            try:
                print(f"building {size:,} trainees…", flush=True)
                built = build(url, size, Path(tmp) / "files")
                print(f"  built in {built.seconds:.0f} s: {built.counts}", flush=True)
                yield size, url, Path(tmp) / "files"
            finally:
                drop()

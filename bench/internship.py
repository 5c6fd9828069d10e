"""Internship pages at scale: what a mentor and a trainer wait for, and how many queries.

    .venv/bin/python bench/internship.py            # 300 interning trainees, 40 per mentor
    .venv/bin/python bench/internship.py --short    # 60 trainees (while developing)

Builds a throwaway SQLite database with the repository's plan, places every trainee with
one of the mentors, signs off a realistic share of their tasks, then times (median of
repeated requests through the test client) the mentor's dashboard, the mentee page, one
sign-off POST and the trainer's overview, and counts the SQL statements each one runs, so
an N+1 regression shows up as a count that grows with the number of trainees.
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select  # noqa: E402

from trainer import clock, create_app  # noqa: E402
from trainer.accounts.services import create_hall, create_user  # noqa: E402
from trainer.extensions import db  # noqa: E402
from trainer.internship.models import Grade, InternshipPlan  # noqa: E402
from trainer.internship.plans import load_default_plans  # noqa: E402
from trainer.internship.queries import active_placements  # noqa: E402
from trainer.internship.services import (  # noqa: E402
    new_idempotency_token,
    place_trainee,
    sign_off_task,
)
from trainer.permissions import Role  # noqa: E402
from trainer.training.services import create_cohort, default_programme, enrol  # noqa: E402
from trainer.training.stages import Stage  # noqa: E402

PASSWORD = "bench-password"


def build(trainees: int, per_mentor: int):
    programme = default_programme()
    load_default_plans()
    plan = db.session.scalar(select(InternshipPlan))
    tasks = [t for t in plan.tasks if not t.retired]
    hall = create_hall(None, code="B-001", name="基准营业厅")
    trainer = create_user(
        None, employee_no="BT1", name="培训师", roles={Role.TRAINER}, password=PASSWORD
    )
    cohort = create_cohort(
        trainer,
        name="基准班",
        programme=programme,
        trainer=trainer,
        start_date=clock.today() - timedelta(days=60),
    )
    mentors = [
        create_user(
            None,
            employee_no=f"BM{i:03d}",
            name=f"师傅{i}",
            roles={Role.MENTOR},
            password=PASSWORD,
            hall=hall,
        )
        for i in range(max(1, trainees // per_mentor))
    ]
    for i in range(trainees):
        user = create_user(
            None,
            employee_no=f"BE{i:04d}",
            name=f"学员{i}",
            roles={Role.TRAINEE},
            password=PASSWORD,
            hall=hall,
        )
        enrolment = enrol(trainer, user, cohort)
        enrolment.stage = Stage.PRE_JOB_PASSED
        mentor = mentors[i % len(mentors)]
        start = clock.today() - timedelta(days=i % 29)
        placement = place_trainee(
            trainer,
            enrolment,
            hall=hall,
            mentor=mentor,
            plan=plan,
            start_date=start,
            duty_manager=trainer,
        )
        for task in tasks[: (i % 29) // 3]:
            sign_off_task(
                mentor,
                placement,
                task,
                observed_on=start,
                observed_items=set(range(len(task.checklist))),
                rating=4,
                grade=Grade.PASS,
                comment="",
                idempotency_token=new_idempotency_token(),
                duty_manager_present=task.needs_duty_manager,
            )
    db.session.commit()
    return trainer, mentors[0], tasks


def timed(client, method: str, url: str, repeat: int, data_fn=None):
    statements = []

    def count(*_args):
        statements.append(1)

    engine = db.engine
    timings = []
    for _ in range(repeat):
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = getattr(client, method)(url, data=data_fn() if data_fn else None)
        timings.append((time.perf_counter() - started) * 1000)
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code in (200, 302), (url, response.status_code)
    return statistics.median(timings), max(timings), len(statements)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--short", action="store_true")
    args = parser.parse_args()
    trainees, per_mentor, repeat = (60, 20, 5) if args.short else (300, 40, 20)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "WTF_CSRF_ENABLED": False,
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            trainer, mentor, tasks = build(trainees, per_mentor)
            print(f"built {trainees} placements in {time.perf_counter() - started:.1f} s")
            mentee = active_placements(mentor)[0]
            client = app.test_client()
            client.post("/login", data={"employee_no": mentor.employee_no, "password": PASSWORD})
            rows = [
                ("mentor dashboard", "get", "/?as=mentor", None),
                ("mentee page", "get", f"/internship/mentees/{mentee.enrolment_id}", None),
                (
                    "sign-off form",
                    "get",
                    f"/internship/mentees/{mentee.enrolment_id}/tasks/{tasks[-1].id}",
                    None,
                ),
                (
                    "sign-off POST",
                    "post",
                    f"/internship/mentees/{mentee.enrolment_id}/tasks/{tasks[-1].id}",
                    lambda: {
                        "observed_on": clock.today().isoformat(),
                        "items": ["0"],
                        "rating": "3",
                        "grade": "fail",
                        "comment": "",
                        "token": new_idempotency_token(),
                    },
                ),
            ]
            results = [(name, *timed(client, m, url, repeat, data)) for name, m, url, data in rows]
            client.post("/logout")
            client.post("/login", data={"employee_no": trainer.employee_no, "password": PASSWORD})
            results.append(("trainer overview", *timed(client, "get", "/internship/", repeat)))
            results.append(
                ("overdue (all mentors)", *timed(client, "get", "/internship/overdue", repeat))
            )
    print(f"{trainees} trainees, {per_mentor} per mentor, {repeat} requests each")
    print(f"{'page':24} {'median ms':>10} {'max ms':>8} {'SQL':>5}")
    for name, median, worst, statements in results:
        print(f"{name:24} {median:10.1f} {worst:8.1f} {statements:5d}")


if __name__ == "__main__":
    main()

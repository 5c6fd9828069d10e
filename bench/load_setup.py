"""The people and records bench/load.py needs, made the way the product makes them.

The schema comes from the models (as in the tests: the migration chain is generated at the
end), the repository's library through `trainer load-library` (the CLI, in a subprocess), and
everything else through the features' services: accounts, cohort and enrolments, modules
studied page by page, required drills played, placements with a mentor and a duty manager,
path overrides (audited, with a reason) and certificates issued on entering FINAL_PASSED.
No SQL is written by hand.
"""

import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from harness import ROOT

PASSWORD = "bench-password-1"
# Fast hashes for the bench accounts: login is not what is being measured (production: scrypt).
FAST_HASH = "pbkdf2:sha256:1000"


@dataclass
class Population:
    exam_quiz_id: int
    exam_title: str
    trainees: list[str] = field(default_factory=list)  # employee numbers, exam takers
    studiers: list[str] = field(default_factory=list)  # employee numbers, just enrolled
    modules: list[tuple[str, list[str]]] = field(default_factory=list)  # (key, page keys)
    procedures: list[str] = field(default_factory=list)
    # mentor employee no → [(enrolment id, [task ids in the plan])]
    mentors: dict[str, list[tuple[int, list[int]]]] = field(default_factory=dict)
    certificates: list[tuple[str, str]] = field(default_factory=list)  # (code, status)


def app_for(database_url: str, files: Path):
    from trainer import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PASSWORD_HASH_METHOD": FAST_HASH,
            "INSTANCE_FILES": str(files),
            # the key of the gunicorn instances on this database (one key per site)
            "SECRET_KEY": "bench-secret",
        }
    )


def load_library(database_url: str) -> None:
    """`trainer load-library` against the bench database, as an operator would run it."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-secret"}
    out = subprocess.run(
        [sys.executable, "-c", "from trainer.cli import main; main()", "load-library"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"trainer load-library failed:\n{out.stdout}\n{out.stderr}")


def populate(
    database_url: str,
    files: Path,
    *,
    trainees: int,
    studiers: int,
    mentors: int,
    mentees_per_mentor: int,
    certificates: int,
    revoked: int,
) -> Population:
    from trainer.extensions import db

    app = app_for(database_url, files)
    with app.app_context():
        db.create_all()
        db.session.remove()
    load_library(database_url)
    with app.app_context():
        try:
            return _populate(trainees, studiers, mentors, mentees_per_mentor, certificates, revoked)
        finally:
            db.session.remove()
            db.engine.dispose()


def _populate(
    trainees: int,
    studiers: int,
    mentors: int,
    mentees_per_mentor: int,
    certificates: int,
    revoked: int,
) -> Population:
    from sqlalchemy import select

    from trainer import clock
    from trainer.accounts.services import create_hall, create_user
    from trainer.certificates.services import latest_certificate, revoke_certificate
    from trainer.content.models import Procedure
    from trainer.content.progress import mark_module_studied, programme_modules
    from trainer.extensions import db
    from trainer.internship.models import InternshipPlan
    from trainer.internship.services import place_trainee
    from trainer.permissions import Role
    from trainer.quizzes.availability import unavailable_reasons
    from trainer.quizzes.models import Purpose, Quiz
    from trainer.roleplay.demo import play
    from trainer.roleplay.requirements import required_scenarios
    from trainer.training.path import trainee_path
    from trainer.training.services import create_cohort, default_programme, enrol
    from trainer.training.stages import Stage

    programme = default_programme()
    hall = create_hall(None, code="BENCH-01", name="压测营业厅")
    trainer = create_user(
        None,
        employee_no="BT0001",
        name="压测培训师",
        roles={Role.TRAINER},
        password=PASSWORD,
        hall=hall,
    )
    cohort = create_cohort(
        trainer,
        name="压测班",
        programme=programme,
        trainer=trainer,
        start_date=clock.today() - timedelta(days=40),
    )
    modules = programme_modules(programme)
    drills = required_scenarios(programme)
    number = iter(range(1, 100_000))

    def new_trainee():
        n = next(number)
        user = create_user(
            None,
            employee_no=f"BE{n:05d}",
            name=f"学员{n}",
            roles={Role.TRAINEE},
            password=PASSWORD,
            hall=hall,
        )
        return user, enrol(trainer, user, cohort)

    def override_to(enrolment, stage: Stage) -> None:
        while not enrolment.stage.reached(stage):
            trainee_path.advance(
                enrolment, enrolment.stage.next(), trainer, override_reason="压测数据准备"
            )

    # Exam takers: every pre-job module studied and every required drill passed.
    exam = db.session.scalar(
        select(Quiz).where(Quiz.programme_id == programme.id, Quiz.purpose == Purpose.PRE_JOB)
    )
    population = Population(exam_quiz_id=exam.id, exam_title=exam.title)
    for _ in range(trainees):
        user, _enrolment = new_trainee()
        for module in modules:
            mark_module_studied(user, module)
        for scenario in drills:
            play(user, scenario)
        population.trainees.append(user.employee_no)
        db.session.commit()
    if population.trainees and (
        reasons := unavailable_reasons(exam, _user(population.trainees[0]))
    ):
        raise RuntimeError(f"the pre-job exam is not open to the bench trainees: {reasons}")
    for _ in range(studiers):
        user, _enrolment = new_trainee()
        population.studiers.append(user.employee_no)
    db.session.commit()
    population.modules = [(m.key, [p.key for p in m.pages]) for m in modules if m.pages]
    population.procedures = list(db.session.scalars(select(Procedure.key).order_by(Procedure.id)))

    # Mentors, each with interning mentees placed ten days ago on the repository's plan.
    plan = db.session.scalar(select(InternshipPlan).order_by(InternshipPlan.id))
    tasks = [t.id for t in plan.tasks if not t.retired]
    for m in range(1, mentors + 1):
        mentor = create_user(
            None,
            employee_no=f"BM{m:04d}",
            name=f"师傅{m}",
            roles={Role.MENTOR},
            password=PASSWORD,
            hall=hall,
        )
        population.mentors[mentor.employee_no] = []
        for _ in range(mentees_per_mentor):
            _user_, enrolment = new_trainee()
            override_to(enrolment, Stage.PRE_JOB_PASSED)
            place_trainee(
                trainer,
                enrolment,
                hall=hall,
                mentor=mentor,
                plan=plan,
                start_date=clock.today() - timedelta(days=10),
                duty_manager=trainer,
            )
            population.mentors[mentor.employee_no].append((enrolment.id, tasks))
        db.session.commit()

    # Certified staff whose certificates visitors verify; a few revoked.
    for c in range(certificates):
        _user_, enrolment = new_trainee()
        override_to(enrolment, Stage.FINAL_PASSED)
        db.session.commit()  # the certificate is issued once the pass has committed
        certificate = latest_certificate(enrolment)
        status = "valid"
        if c < revoked:
            revoke_certificate(certificate, trainer, "压测：证书作废")
            status = "revoked"
        population.certificates.append((certificate.verification_code, status))
        db.session.commit()
    return population


def _user(employee_no: str):
    from sqlalchemy import select

    from trainer.accounts.models import User
    from trainer.extensions import db

    return db.session.scalar(select(User).where(User.employee_no == employee_no))

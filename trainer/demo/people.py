"""The foundation's demo data: halls, staff, one cohort and 20 trainees over every stage."""

from datetime import timedelta

from trainer import clock
from trainer.accounts.services import create_hall, create_user, get_or_create_region
from trainer.permissions import Role
from trainer.seeding import DEMO_PASSWORD, DemoContext
from trainer.training.path import trainee_path
from trainer.training.services import create_cohort, default_programme, enrol
from trainer.training.stages import PATH, Stage

HALLS = (
    ("YT-001", "人民路营业厅", "hall", "城区"),
    ("YT-002", "高新区旗舰营业厅", "hall", "高新区"),
    ("ZY-101", "东湖专营店", "shop", "城区"),
)
TRAINEE_COUNT = 20


def seed_people(ctx: DemoContext) -> None:
    fake = ctx.fake
    ctx.halls = [
        create_hall(None, code=code, name=name, kind=kind, region=get_or_create_region(region))
        for code, name, kind, region in HALLS
    ]

    def person(employee_no: str, roles: set[Role], hall=None):
        return create_user(
            None,
            employee_no=employee_no,
            name=fake.name(),
            roles=roles,
            password=DEMO_PASSWORD,
            hall=hall,
            phone=fake.phone_number(),
        )

    ctx.admin = person("A0001", {Role.ADMIN})
    ctx.trainers = [person(f"T000{i}", {Role.TRAINER}) for i in (1, 2)]
    ctx.mentors = [person(f"M000{i}", {Role.MENTOR}, ctx.halls[(i - 1) % 3]) for i in (1, 2, 3, 4)]
    ctx.programme = default_programme()
    ctx.cohort = create_cohort(
        ctx.trainers[0],
        name=f"{clock.today():%Y年%m月}新员工上岗培训班",
        programme=ctx.programme,
        trainer=ctx.trainers[0],
        start_date=clock.today() - timedelta(days=45),
    )
    upcoming = create_cohort(
        ctx.trainers[1],
        name=f"{clock.today() + timedelta(days=30):%Y年%m月}新员工上岗培训班",
        programme=ctx.programme,
        trainer=ctx.trainers[1],
        start_date=clock.today() + timedelta(days=7),
    )
    for i in range(1, TRAINEE_COUNT + 1):
        trainee = person(f"E{i:04d}", {Role.TRAINEE}, ctx.halls[i % 3])
        # Spread the trainees over every stage of the path (3 per stage, the rest early);
        # the just-enrolled ones wait for next month's cohort.
        target = PATH[min((i - 1) // 3, len(PATH) - 1)]
        cohort = upcoming if target == Stage.ENROLLED else ctx.cohort
        enrolment = enrol(cohort.trainer, trainee, cohort)
        ctx.trainees.append((trainee, enrolment, target))


def advance_to_targets(ctx: DemoContext) -> None:
    """Runs after the features' seeders: whatever their data did not earn is overridden."""
    for _trainee, enrolment, target in ctx.trainees:
        trainee_path.catch_up(enrolment, ctx.trainers[0], stop_before=target.next())
        while enrolment.stage.position < target.position:
            trainee_path.advance(
                enrolment,
                enrolment.stage.next(),
                ctx.trainers[0],
                override_reason="demo data",
            )

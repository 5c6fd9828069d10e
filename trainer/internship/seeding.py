"""Demo data: placements, absences, log entries and sign-offs matching each target stage."""

from datetime import timedelta

from sqlalchemy import select

from trainer import clock
from trainer.extensions import db
from trainer.internship.models import Grade, InternshipPlan
from trainer.internship.plans import load_default_plans
from trainer.internship.services import (
    add_log_entry,
    comment_on_log,
    new_idempotency_token,
    place_trainee,
    record_absence,
    sign_off_task,
)
from trainer.seeding import DemoContext
from trainer.training.stages import Stage

COMPLETE_START_DAYS_AGO = 38
INTERNING_START_DAYS_AGO = 12

# What mentors really write when they sign a task off (the demo's comments).
SIGN_OFF_COMMENTS = (
    "独立完成，话术规范，证件核验一步没落。",
    "开场白和送别都很自然，客户有疑问时解释得清楚。",
    "操作熟练，复述号码和金额做到了，下次注意双手递还证件。",
    "遇到客户着急时语速放慢了，安抚到位。",
    "首问负责做得好，没有让客户去别的窗口再排队。",
    "流程正确，系统操作还稍慢，多练几次就好。",
    "风险提示讲得完整，客户签字前逐条说明了。",
    "能主动发现客户的真实需求，推荐的套餐合适。",
)


def seed_internship(ctx: DemoContext) -> None:
    plan = db_plan() or (load_default_plans() and db_plan())
    if plan is None or not ctx.mentors:
        return
    tasks = [t for t in plan.tasks if not t.retired]
    trainer = ctx.trainers[0]
    interning = [(u, e, t) for u, e, t in ctx.trainees if t.reached(Stage.INTERNING)]
    for index, (trainee, enrolment, target) in enumerate(interning):
        mentor = ctx.mentors[index % len(ctx.mentors)]
        duty_manager = next(
            (m for m in ctx.mentors if m is not mentor and m.hall_id == mentor.hall_id),
            ctx.trainers[-1],
        )
        complete = target.reached(Stage.INTERNSHIP_COMPLETE)
        start = clock.today() - timedelta(
            days=COMPLETE_START_DAYS_AGO if complete else INTERNING_START_DAYS_AGO + index
        )
        placement = place_trainee(
            trainer,
            enrolment,
            hall=mentor.hall,
            mentor=mentor,
            plan=plan,
            start_date=start,
            duty_manager=duty_manager,
        )
        if complete:
            record_absence(mentor, placement, start + timedelta(days=3), "病假")
        # Interning trainees have done the first week; later ones have done every task.
        done = tasks if complete else [t for t in tasks if t.week == 1][: 2 + index]
        for n, task in enumerate(done):
            observed_on = min(start + timedelta(days=7 * (task.week - 1) + n % 5), clock.today())
            for _time in range(task.observations_needed):
                sign_off_task(
                    mentor,
                    placement,
                    task,
                    observed_on=observed_on,
                    observed_items=set(range(len(task.checklist))),
                    rating=5 if n % 3 == 0 else 4,
                    grade=Grade.EXCELLENT if n % 3 == 0 else Grade.PASS,
                    comment=SIGN_OFF_COMMENTS[(index + n) % len(SIGN_OFF_COMMENTS)],
                    idempotency_token=new_idempotency_token(),
                    duty_manager_present=task.needs_duty_manager,
                )
        entry = add_log_entry(
            trainee,
            placement,
            day=start + timedelta(days=1),
            task=tasks[0],
            what_happened="跟着师傅观摩了开户业务，师傅当面核验身份证并提醒客户核对资料。",
            reflection="核验证件时要双手递还证件，并主动说明下一步。",
        )
        comment_on_log(mentor, entry, "观察很仔细，下次试着由你来说开场白。")


def db_plan() -> InternshipPlan | None:
    return db.session.scalar(select(InternshipPlan).order_by(InternshipPlan.id).limit(1))

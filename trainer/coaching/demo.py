"""Demo data: coaching talks for the trainees whose results show weak areas."""

from datetime import timedelta

from trainer import clock
from trainer.coaching.focus import focus_options
from trainer.coaching.services import acknowledge, open_record, record_outcome
from trainer.seeding import DemoContext

ACTIONS = (
    "每天对镜练习首问负责用语三遍；下次演练先致歉再核实。",
    "复习《服务禁语》清单，把常用禁语换成规范用语并背诵。",
    "跟随师傅观摩两次投诉处理，记录值班经理的接手话术。",
)


def seed_coaching(ctx: DemoContext) -> None:
    if not ctx.trainers:
        return
    coach = ctx.trainers[0]
    today = clock.today()
    talks = 0
    for number, (trainee, _enrolment, _stage) in enumerate(ctx.trainees):
        focus = focus_options(trainee, limit=3)
        if not focus or talks >= 6:
            continue
        rec = open_record(
            coach,
            trainee,
            agreed_actions=ACTIONS[number % len(ACTIONS)],
            held_on=today - timedelta(days=10 - talks),
            focus=focus,
            discussion="结合测验与演练结果逐项回顾，学员认可需改进之处。",
            follow_up_on=today + timedelta(days=talks - 2),
        )
        if talks % 3 == 0:
            acknowledge(trainee, rec, "谢谢老师，我会按计划练习。")
        if talks % 3 == 1:
            acknowledge(trainee, rec)
            record_outcome(coach, rec, "复训后演练未再出现禁语，达成目标。")
        talks += 1

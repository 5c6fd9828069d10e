"""Demo data: last month's 服务之星 and 示范窗口, from the standings."""

from trainer import clock
from trainer.recognition.models import AwardKind
from trainer.recognition.queries import monthly_standings
from trainer.recognition.services import give_award
from trainer.seeding import DemoContext


def seed_awards(ctx: DemoContext) -> None:
    if not ctx.trainers:
        return
    trainer = ctx.trainers[0]
    month = clock.today().replace(day=1)
    standings, halls, users, hall_rows = monthly_standings(month)
    for standing in standings[:2]:
        give_award(
            trainer,
            AwardKind.STAR_CLERK,
            month,
            f"{users[standing.user_id].name}本月综合得分{standing.score:.0f}，"
            "服务用语规范，演练零禁语。",
            user=users[standing.user_id],
        )
    if halls:
        hall = hall_rows[halls[0].hall_id]
        give_award(
            trainer,
            AwardKind.MODEL_WINDOW,
            month,
            f"{hall.name}学员整体表现突出，窗口服务规范、热情。",
            hall=hall,
        )

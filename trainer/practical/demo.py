"""Demo data: practical assessments of the trainees whose internship is complete, with the
comments a mentor would write at the counter (one failed and retaken, one awaiting)."""

from datetime import timedelta

from trainer import clock
from trainer.internship.services import active_placement
from trainer.practical.models import ItemResult
from trainer.practical.queries import checklist_for
from trainer.practical.services import (
    load_default_checklists,
    new_idempotency_token,
    record_assessment,
)
from trainer.seeding import DemoContext
from trainer.training.stages import Stage

PASS_COMMENTS = (
    "全程起身迎候、用语规范；实名核验人证比对到位，号码逐位复述。个别环节语速偏快，"
    "请客户签字前可以再放慢一点。",
    "迎送礼仪到位，唱收唱付清楚。客户对套餐有异议时能先倾听再解释，没有出现禁语。"
    "熟练后再提高受理速度。",
    "两笔业务都独立完成。模拟投诉时能先致歉安抚，当面请值班经理接手并把经过讲清楚，"
    "交接完整，客户不用重复讲述。",
)
FAIL_COMMENT = (
    "受理携号转网时没有向客户复述授权码和号码就提交了，属关键项未达标；另有一次说了"
    "“这个我不清楚”，应改为“请稍等，我帮您查询一下”。两周内重新考核。"
)
FAIL_NOTES = {
    "read_back_numbers": "授权码未复述，客户事后发现输错一位。",
    "no_forbidden_phrases": "原话：“这个我不清楚。”",
    "service_phrases": "查询时离开座位没有说“请稍等”。",
}
PARTLY_NOTES = {"needs_and_read_back": "听完了但没有复述确认需求。"}


def seed_practical(ctx: DemoContext) -> None:
    if not any(checklist for checklist in [_any_checklist(ctx)]):
        load_default_checklists()
    ready = [
        (user, enrolment, target)
        for user, enrolment, target in ctx.trainees
        if enrolment.stage is Stage.INTERNSHIP_COMPLETE
        and target.reached(Stage.INTERNSHIP_COMPLETE)
    ]
    for index, (_user, enrolment, target) in enumerate(ready):
        checklist = checklist_for(enrolment)
        placement = active_placement(enrolment)
        if checklist is None or placement is None:
            continue
        observer = placement.mentor
        going_on = target.reached(Stage.FINAL_PASSED)
        if not going_on and index % 2 == 1:
            continue  # still waiting for the mentor to find a quiet morning
        if index % 3 == 0 or not going_on:
            _assess(ctx, observer, enrolment, checklist, fail=True, days_ago=6)
        if going_on:
            _assess(ctx, observer, enrolment, checklist, fail=False, days_ago=2, n=index)


def _assess(ctx, observer, enrolment, checklist, *, fail: bool, days_ago: int, n: int = 0):
    results, notes = {}, {}
    for item in checklist.items:
        if fail and item["key"] in FAIL_NOTES:
            results[item["key"]] = (
                ItemResult.PARTLY if item["key"] == "service_phrases" else ItemResult.NOT_MET
            )
            notes[item["key"]] = FAIL_NOTES[item["key"]]
        elif not fail and n % 2 and item["key"] in PARTLY_NOTES:
            results[item["key"]], notes[item["key"]] = ItemResult.PARTLY, PARTLY_NOTES[item["key"]]
        else:
            results[item["key"]] = ItemResult.MET
    record_assessment(
        observer,
        enrolment,
        observed_on=clock.today() - timedelta(days=days_ago),
        results=results,
        notes=notes,
        comment=FAIL_COMMENT if fail else PASS_COMMENTS[n % len(PASS_COMMENTS)],
        idempotency_token=new_idempotency_token(),
    )


def _any_checklist(ctx: DemoContext):
    for _user, enrolment, _target in ctx.trainees:
        return checklist_for(enrolment)
    return None

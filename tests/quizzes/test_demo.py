"""The demo seeder gives each trainee the exam attempts their target stage implies."""

from faker import Faker

from trainer.permissions import Role
from trainer.quizzes.demo import seed_quiz_attempts
from trainer.quizzes.library import load_question_banks
from trainer.quizzes.models import Purpose
from trainer.quizzes.results import has_passed
from trainer.seeding import DemoContext
from trainer.training.stages import Stage

TARGETS = [
    Stage.PRE_JOB_TRAINING,
    Stage.PRE_JOB_TRAINING,
    Stage.PRE_JOB_PASSED,
    Stage.INTERNING,
    Stage.FINAL_PASSED,
    Stage.CERTIFIED,
]


def test_demo_attempts_match_the_target_stages(db, make_user, make_cohort, make_enrolment):
    load_question_banks()
    trainer = make_user(Role.TRAINER)
    cohort = make_cohort(trainer=trainer)
    ctx = DemoContext(fake=Faker("zh_CN"), trainers=[trainer], cohort=cohort)
    ctx.trainees = [
        (e.user, e, target) for target in TARGETS if (e := make_enrolment(cohort=cohort))
    ]
    seed_quiz_attempts(ctx)
    for user, enrolment, target in ctx.trainees:
        assert has_passed(user, enrolment.programme_id, Purpose.PRE_JOB) == target.reached(
            Stage.PRE_JOB_PASSED
        ), target
        assert has_passed(user, enrolment.programme_id, Purpose.FINAL) == target.reached(
            Stage.FINAL_PASSED
        ), target

"""Demo data: the trainees at (or past) the final exam hold a real certificate, PDF and all.

Passing the final exam issues the certificate at once, so the demo, like the product, has
nobody resting at FINAL_PASSED: those placed there end up CERTIFIED.
"""

from trainer.certificates.services import issue_and_certify
from trainer.seeding import DemoContext
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


def seed_certificates(ctx: DemoContext) -> None:
    trainer = ctx.trainers[0] if ctx.trainers else None
    for _user, enrolment, target in ctx.trainees:
        if not target.reached(Stage.FINAL_PASSED):
            continue
        # What the other seeders earned, then the rest by override as the path seeder does;
        # entering FINAL_PASSED issues the certificate through the path listener.
        trainee_path.catch_up(enrolment, trainer)
        while enrolment.stage.position < Stage.FINAL_PASSED.position:
            trainee_path.advance(
                enrolment, enrolment.stage.next(), trainer, override_reason="demo data"
            )
        issue_and_certify(enrolment, trainer)

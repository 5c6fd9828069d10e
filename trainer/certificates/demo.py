"""Demo data: the trainees placed at CERTIFIED hold a real certificate (PDF and all)."""

from trainer.certificates.services import issue_and_certify
from trainer.demo.seeding import DemoContext
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


def seed_certificates(ctx: DemoContext) -> None:
    trainer = ctx.trainers[0] if ctx.trainers else None
    for _user, enrolment, target in ctx.trainees:
        if target != Stage.CERTIFIED:
            continue
        # Whatever the other seeders earned, then the rest by override, as the path seeder does;
        # entering FINAL_PASSED issues the certificate through the path listener.
        trainee_path.catch_up(enrolment, trainer)
        while enrolment.stage.position < Stage.FINAL_PASSED.position:
            trainee_path.advance(
                enrolment, enrolment.stage.next(), trainer, override_reason="demo data"
            )
        issue_and_certify(enrolment, trainer)

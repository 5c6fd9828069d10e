"""Demo data: certified trainees hold a real certificate (PDF and all); the trainees placed at
FINAL_PASSED wait for the trainer to issue theirs in bulk from the register."""

from trainer.certificates.requirements import automatic_issuance_paused
from trainer.demo.seeding import DemoContext
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


def seed_certificates(ctx: DemoContext) -> None:
    trainer = ctx.trainers[0] if ctx.trainers else None
    for _user, enrolment, target in ctx.trainees:
        if not target.reached(Stage.FINAL_PASSED):
            continue
        # What the other seeders earned, then the rest by override as the path seeder does.
        trainee_path.catch_up(enrolment, trainer, stop_before=Stage.FINAL_PASSED)
        while enrolment.stage.position < Stage.INTERNSHIP_COMPLETE.position:
            trainee_path.advance(
                enrolment, enrolment.stage.next(), trainer, override_reason="demo data"
            )
        if target == Stage.FINAL_PASSED:
            with automatic_issuance_paused():
                bring_to_final_passed(enrolment, trainer)
        else:  # entering FINAL_PASSED issues the certificate and certifies
            bring_to_final_passed(enrolment, trainer)


def bring_to_final_passed(enrolment, trainer) -> None:
    trainee_path.catch_up(enrolment, trainer, stop_before=Stage.CERTIFIED)
    if enrolment.stage != Stage.FINAL_PASSED:
        trainee_path.advance(enrolment, Stage.FINAL_PASSED, trainer, override_reason="demo data")

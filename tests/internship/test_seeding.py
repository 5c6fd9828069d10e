"""Demo data: placements and sign-offs agree with each trainee's target stage."""

from faker import Faker

from trainer.demo.people import advance_to_targets, seed_people
from trainer.internship.queries import progress_for
from trainer.internship.seeding import seed_internship
from trainer.internship.services import active_placement
from trainer.seeding import DemoContext
from trainer.training.stages import Stage


def test_demo_internships_match_the_target_stages(db):
    fake = Faker("zh_CN")
    fake.seed_instance(1)
    ctx = DemoContext(fake=fake)
    seed_people(ctx)
    seed_internship(ctx)
    advance_to_targets(ctx)
    for _user, enrolment, target in ctx.trainees:
        placement = active_placement(enrolment)
        if not target.reached(Stage.INTERNING):
            assert placement is None
            continue
        progress = progress_for(placement)
        assert placement.mentor in ctx.mentors
        # Completion was earned, not overridden: days and required sign-offs are real.
        assert progress.complete == target.reached(Stage.INTERNSHIP_COMPLETE)
        assert enrolment.stage.reached(Stage.INTERNSHIP_COMPLETE) == target.reached(
            Stage.INTERNSHIP_COMPLETE
        )

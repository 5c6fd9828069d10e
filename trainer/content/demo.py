"""Demo data: study progress consistent with each trainee's target stage."""

from trainer.content.loading import load_library
from trainer.content.models import PageStudy
from trainer.content.progress import programme_modules
from trainer.extensions import db
from trainer.seeding import DemoContext
from trainer.training.stages import Stage


def seed_study_progress(ctx: DemoContext) -> None:
    """Past pre-job training: every pre-job module studied; in training: the first few."""
    modules = programme_modules(ctx.programme)
    if not modules:
        load_library()  # `make demo` loads the library first; a bare seed-demo still works
        modules = programme_modules(ctx.programme)
    pre_job = [m for m in modules if m.pre_job]
    for index, (user, _enrolment, target) in enumerate(ctx.trainees):
        if target.reached(Stage.PRE_JOB_PASSED):
            pages = [page for m in pre_job for page in m.pages]
        elif target == Stage.PRE_JOB_TRAINING:
            # Each trainee in training is somewhere different: 2, 3, 4 … modules plus a page.
            done = pre_job[: 2 + index % 3]
            pages = [p for m in done for p in m.pages]
            if len(pre_job) > len(done):
                pages += pre_job[len(done)].pages[:1]
        else:
            pages = []
        # Rows go in directly: the final path seeder moves each trainee to its stage.
        db.session.add_all(PageStudy(user_id=user.id, page_id=page.id) for page in pages)
    db.session.flush()

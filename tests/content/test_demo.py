"""The demo seeder gives each trainee study progress consistent with their target stage."""

from faker import Faker
from sqlalchemy import select

from trainer.content.demo import seed_study_progress
from trainer.content.models import ContentModule
from trainer.content.progress import programme_modules, progress_for
from trainer.seeding import DemoContext
from trainer.training.stages import Stage


def test_trainees_past_pre_job_training_have_studied_every_pre_job_module(
    db, programme, make_enrolment
):
    certified, training, enrolled = make_enrolment(), make_enrolment(), make_enrolment()
    ctx = DemoContext(
        fake=Faker("zh_CN"),
        programme=programme,
        trainees=[
            (certified.user, certified, Stage.CERTIFIED),
            (training.user, training, Stage.PRE_JOB_TRAINING),
            (enrolled.user, enrolled, Stage.ENROLLED),
        ],
    )
    seed_study_progress(ctx)  # loads the library itself when it is not loaded yet
    db.session.commit()
    assert db.session.scalar(select(ContentModule).limit(1)) is not None
    # The demo studies the pre-job modules; internship modules (pre_job: false) come later.
    modules = [m for m in programme_modules(programme) if m.pre_job]
    assert all(row.done for row in progress_for(certified.user, modules))
    in_training = progress_for(training.user, modules)
    assert 0 < sum(row.done for row in in_training) < len(modules)
    assert not any(row.studied for row in progress_for(enrolled.user, modules))

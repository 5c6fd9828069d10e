"""Certificate fixtures: trainees brought to the final pass."""

import pytest

from tests.storage.conftest import s3_server, s3_store  # noqa: F401  (fixtures)
from trainer.certificates.services import certificate_for
from trainer.permissions import Role
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


@pytest.fixture
def trainer_user(make_user):
    return make_user(Role.TRAINER, name="王培训")


@pytest.fixture
def make_trainee(make_user, make_hall):
    def make(name="张伟明", **fields):
        return make_user(Role.TRAINEE, name=name, hall=make_hall(name="人民路营业厅"), **fields)

    return make


def bring_to(enrolment, stage, actor):
    """Walk the path by trainer override; the quiz engine's own tests cover the real exams."""
    while enrolment.stage.position < stage.position:
        trainee_path.advance(
            enrolment, enrolment.stage.next(), actor, override_reason="test set-up"
        )
    return enrolment


@pytest.fixture
def pass_final(db, trainer_user):
    """Bring an enrolment to FINAL_PASSED, which issues the certificate; returns it."""

    def passed(enrolment):
        bring_to(enrolment, Stage.FINAL_PASSED, trainer_user)
        db.session.commit()
        return certificate_for(enrolment)

    return passed


@pytest.fixture
def certificate(make_trainee, make_enrolment, make_cohort, trainer_user, pass_final):
    enrolment = make_enrolment(make_trainee(), make_cohort(trainer=trainer_user))
    return pass_final(enrolment)

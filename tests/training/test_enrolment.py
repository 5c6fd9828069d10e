from datetime import timedelta

import pytest

from trainer import clock
from trainer.permissions import Role
from trainer.training.services import TrainingError, enrol, enrolable_trainees
from trainer.training.stages import Stage


def test_enrolling_in_a_started_cohort_starts_pre_job_training(make_enrolment, make_cohort):
    enrolment = make_enrolment(cohort=make_cohort(start_date=clock.today()))
    assert enrolment.stage == Stage.PRE_JOB_TRAINING


def test_enrolling_before_the_cohort_starts_leaves_the_trainee_enrolled(
    make_enrolment, make_cohort
):
    cohort = make_cohort(start_date=clock.today() + timedelta(days=3))
    assert make_enrolment(cohort=cohort).stage == Stage.ENROLLED


def test_enrolling_twice_returns_the_same_enrolment(make_user, make_cohort, db):
    trainee, cohort = make_user(Role.TRAINEE), make_cohort()
    assert enrol(None, trainee, cohort).id == enrol(None, trainee, cohort).id


def test_only_trainees_can_be_enrolled(make_user, make_cohort):
    with pytest.raises(TrainingError):
        enrol(None, make_user(Role.MENTOR), make_cohort())


def test_the_enrolment_picker_offers_only_trainees_free_to_join(make_user, make_cohort, db):
    cohort, other_cohort = make_cohort(), make_cohort()
    free, elsewhere, here = (make_user(Role.TRAINEE) for _ in range(3))
    gone = make_user(Role.TRAINEE)
    gone.active = False
    make_user(Role.MENTOR)
    enrol(None, elsewhere, other_cohort)  # same programme, another cohort (or certified by it)
    enrol(None, here, cohort)
    assert enrolable_trainees(cohort) == [free]

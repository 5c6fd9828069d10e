"""The trainee path: every legal transition, every illegal one, requirements and overrides."""

import itertools

import pytest
from sqlalchemy import delete, select

from trainer.audit.models import AuditEntry
from trainer.extensions import db
from trainer.training.models import StageChange
from trainer.training.path import IllegalTransition, RequirementsUnmet, TraineePath
from trainer.training.stages import PATH, Stage

LEGAL = list(itertools.pairwise(PATH))
ILLEGAL = [(a, b) for a in PATH for b in PATH if (a, b) not in LEGAL]


@pytest.fixture
def path():
    """A path with no requirements, so each test registers only what it is about."""
    return TraineePath()


def at_stage(enrolment, stage):
    """Put the trainee at `stage` with no history (each stage is entered once)."""
    db.session.execute(delete(StageChange).where(StageChange.enrolment_id == enrolment.id))
    enrolment.stage = stage
    db.session.flush()
    return enrolment


@pytest.mark.parametrize(("from_stage", "to_stage"), LEGAL, ids=lambda s: s.value)
def test_legal_transition_moves_the_trainee_and_is_audited(
    path, make_enrolment, db, from_stage, to_stage
):
    enrolment = at_stage(make_enrolment(), from_stage)
    path.advance(enrolment, to_stage)
    assert enrolment.stage == to_stage
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "path.advance"
    assert (entry.before, entry.after["stage"]) == ({"stage": from_stage.value}, to_stage.value)


@pytest.mark.parametrize(("from_stage", "to_stage"), ILLEGAL, ids=lambda s: s.value)
def test_illegal_transition_raises_and_changes_nothing(path, make_enrolment, from_stage, to_stage):
    enrolment = at_stage(make_enrolment(), from_stage)
    with pytest.raises(IllegalTransition):
        path.advance(enrolment, to_stage, override_reason="even with a reason")
    assert enrolment.stage == from_stage


def test_unmet_requirement_blocks_the_transition(path, make_enrolment):
    path.requirement(Stage.PRE_JOB_TRAINING)(lambda e: ["cohort not started"])
    enrolment = at_stage(make_enrolment(), Stage.ENROLLED)
    with pytest.raises(RequirementsUnmet) as raised:
        path.advance(enrolment, Stage.PRE_JOB_TRAINING)
    assert raised.value.unmet == ["cohort not started"]
    assert enrolment.stage == Stage.ENROLLED


def test_trainer_override_passes_an_unmet_requirement_and_is_audited_as_override(
    path, make_enrolment, make_user, db
):
    path.requirement(Stage.PRE_JOB_TRAINING)(lambda e: ["cohort not started"])
    trainer = make_user()
    enrolment = at_stage(make_enrolment(), Stage.ENROLLED)
    change = path.advance(enrolment, Stage.PRE_JOB_TRAINING, trainer, override_reason="调岗")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "path.override")).one()
    assert (change.override_reason, entry.reason, entry.actor_id) == ("调岗", "调岗", trainer.id)


def test_blank_override_reason_is_no_override(path, make_enrolment):
    path.requirement(Stage.PRE_JOB_TRAINING)(lambda e: ["cohort not started"])
    enrolment = at_stage(make_enrolment(), Stage.ENROLLED)
    with pytest.raises(RequirementsUnmet):
        path.advance(enrolment, Stage.PRE_JOB_TRAINING, override_reason="   ")


def met(enrolment):
    return []


def test_catch_up_advances_until_the_first_unmet_requirement(path, make_enrolment):
    path.requirement(Stage.PRE_JOB_TRAINING)(met)
    path.requirement(Stage.PRE_JOB_PASSED)(met)
    path.requirement(Stage.INTERNING)(lambda e: ["no mentor"])
    enrolment = at_stage(make_enrolment(), Stage.ENROLLED)
    changes = path.catch_up(enrolment)
    assert [c.to_stage for c in changes] == [Stage.PRE_JOB_TRAINING, Stage.PRE_JOB_PASSED]
    assert enrolment.stage == Stage.PRE_JOB_PASSED


def test_catch_up_never_takes_a_step_without_requirements(path, make_enrolment):
    enrolment = at_stage(make_enrolment(), Stage.ENROLLED)
    assert path.catch_up(enrolment) == []
    assert enrolment.stage == Stage.ENROLLED


def test_catch_up_stops_at_the_end_of_the_path(path, make_enrolment):
    path.requirement(Stage.CERTIFIED)(met)
    enrolment = at_stage(make_enrolment(), Stage.FINAL_PASSED)
    path.catch_up(enrolment)
    assert enrolment.stage == Stage.CERTIFIED
    assert path.catch_up(enrolment) == []


def test_registering_the_same_requirement_twice_counts_once(path):
    def check(enrolment):
        return []

    path.requirement(Stage.INTERNING)(check)
    path.requirement(Stage.INTERNING)(check)
    assert path.requirements_for(Stage.INTERNING) == [check]


def test_listener_runs_once_the_move_has_committed(path, make_enrolment, db):
    seen = []
    path.on_enter(Stage.FINAL_PASSED)(lambda enrolment, actor: seen.append(enrolment.stage))
    enrolment = at_stage(make_enrolment(), Stage.INTERNSHIP_COMPLETE)
    path.advance(enrolment, Stage.FINAL_PASSED)
    assert seen == []  # not inside the transaction that moves the trainee
    db.session.commit()
    assert seen == [Stage.FINAL_PASSED]


def test_listener_never_runs_when_the_move_rolls_back(path, make_enrolment, db):
    seen = []
    path.on_enter(Stage.FINAL_PASSED)(lambda enrolment, actor: seen.append(enrolment.id))
    enrolment = at_stage(make_enrolment(), Stage.INTERNSHIP_COMPLETE)
    db.session.commit()
    path.advance(enrolment, Stage.FINAL_PASSED)
    db.session.rollback()
    db.session.commit()
    assert seen == []


def test_a_failing_listener_does_not_undo_the_move(path, make_enrolment, db):
    def broken(enrolment, actor):
        raise OSError("disk full")

    path.on_enter(Stage.FINAL_PASSED)(broken)
    enrolment = at_stage(make_enrolment(), Stage.INTERNSHIP_COMPLETE)
    path.advance(enrolment, Stage.FINAL_PASSED)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(type(enrolment), enrolment.id).stage == Stage.FINAL_PASSED


def test_listener_may_move_the_trainee_on_after_the_commit(path, make_enrolment, db):
    path.on_enter(Stage.FINAL_PASSED)(lambda e, actor: path.advance(e, Stage.CERTIFIED, actor))
    path.requirement(Stage.FINAL_PASSED)(met)
    enrolment = at_stage(make_enrolment(), Stage.INTERNSHIP_COMPLETE)
    changes = path.catch_up(enrolment)
    assert [c.to_stage for c in changes] == [Stage.FINAL_PASSED]
    db.session.commit()
    stages = db.session.scalars(
        select(StageChange.to_stage)
        .where(StageChange.enrolment_id == enrolment.id)
        .order_by(StageChange.id)
    ).all()
    assert stages[-2:] == [Stage.FINAL_PASSED, Stage.CERTIFIED]

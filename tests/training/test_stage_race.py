"""Two sessions that loaded the same enrolment move it once: one StageChange, one audit entry,
one run of the stage's listeners (real database, real threads; SQLite and PostgreSQL)."""

import threading

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from trainer.audit.models import AuditEntry
from trainer.certificates.models import Certificate
from trainer.db import write_intent
from trainer.extensions import db
from trainer.permissions import Role
from trainer.training.models import Enrolment, StageChange
from trainer.training.path import StageMoved, trainee_path
from trainer.training.stages import Stage


@pytest.fixture
def twin(make_app):
    """A second app on the same database, with registries of its own (nothing shared)."""
    return make_app(SECRET_KEY="twin")


@pytest.fixture
def ready_for_final(make_enrolment, make_user, db):
    enrolment = make_enrolment()
    trainer = make_user(Role.TRAINER)
    while enrolment.stage != Stage.INTERNSHIP_COMPLETE:
        trainee_path.advance(enrolment, enrolment.stage.next(), trainer, override_reason="set-up")
    db.session.commit()
    return enrolment.id, trainer.id


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_racing_moves_record_one_change_one_audit_and_one_listener_run(twin, ready_for_final):
    enrolment_id, trainer_id = ready_for_final
    runs = []
    twin.extensions["trainee_path"].on_enter(Stage.FINAL_PASSED)(
        lambda enrolment, actor: runs.append(enrolment.id)
    )
    sessions = 4
    loaded = threading.Barrier(sessions)
    outcomes, errors = [], []

    def move() -> None:
        # Both sessions read the enrolment before either writes: the race of the issue.
        with twin.app_context(), write_intent(False):
            try:
                enrolment = db.session.get(Enrolment, enrolment_id)
                trainer = db.session.get(type(enrolment.user), trainer_id)
                assert enrolment.stage == Stage.INTERNSHIP_COMPLETE
                loaded.wait(timeout=30)
                try:
                    trainee_path.advance(
                        enrolment, Stage.FINAL_PASSED, trainer, override_reason="race"
                    )
                    db.session.commit()
                    outcomes.append("moved")
                except StageMoved:
                    db.session.rollback()
                    outcomes.append("found it moved")
            except Exception as exc:  # surfaced by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=move) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["found it moved"] * (sessions - 1) + ["moved"]
    assert count(StageChange, StageChange.to_stage == Stage.FINAL_PASSED) == 1
    assert count(AuditEntry, AuditEntry.action == "path.override", AuditEntry.reason == "race") == 1
    assert runs == [enrolment_id]
    assert count(Certificate) == 1  # the certificates listener ran once too


def test_a_stale_enrolment_is_not_moved_twice(ready_for_final, db):
    enrolment_id, _trainer_id = ready_for_final
    enrolment = db.session.get(Enrolment, enrolment_id)
    assert enrolment.stage == Stage.INTERNSHIP_COMPLETE
    with db.engine.begin() as other:  # another session moves the trainee meanwhile
        other.execute(
            update(Enrolment).where(Enrolment.id == enrolment_id).values(stage=Stage.FINAL_PASSED)
        )
    with pytest.raises(StageMoved):
        trainee_path.advance(enrolment, Stage.FINAL_PASSED, override_reason="late")
    assert enrolment.stage == Stage.FINAL_PASSED
    assert count(StageChange, StageChange.to_stage == Stage.FINAL_PASSED) == 0


def test_the_database_refuses_a_second_record_of_the_same_move(ready_for_final, db):
    enrolment_id, _trainer_id = ready_for_final
    db.session.add(
        StageChange(
            enrolment_id=enrolment_id,
            from_stage=Stage.INTERNING,
            to_stage=Stage.INTERNSHIP_COMPLETE,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()

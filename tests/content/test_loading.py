"""Loading is validated, all-or-nothing and idempotent; export round-trips; versions are kept."""

import pytest
from sqlalchemy import func, select

from tests.content.conftest import FIXTURES, SHIPPED, shipped_programme_modules
from trainer.audit.models import AuditEntry
from trainer.content.loading import LibraryInvalid, export_library, load_library
from trainer.content.models import (
    ContentModule,
    ContentRevision,
    ModulePage,
    Procedure,
    ProcedureStep,
    ProgrammeModule,
)
from trainer.content.validation import read_library
from trainer.phrases.models import ForbiddenPhrase


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def snapshot(db) -> dict:
    return {
        model.__name__: count(db, model)
        for model in (
            Procedure,
            ProcedureStep,
            ForbiddenPhrase,
            ContentModule,
            ModulePage,
            ProgrammeModule,
            ContentRevision,
            AuditEntry,
        )
    }


def test_load_creates_every_row(db, library):
    assert count(db, Procedure) == len(list((SHIPPED / "procedures").glob("*.yaml"))) >= 9
    assert count(db, ForbiddenPhrase) >= 40
    assert count(db, ContentModule) == len(list((SHIPPED / "modules").glob("*.yaml"))) >= 7
    step = db.session.scalar(
        select(ProcedureStep)
        .where(ProcedureStep.key == "verify_identity")
        .join(Procedure)
        .where(Procedure.key == "open_account")
    )
    assert step.ref == "open_account.verify_identity"
    assert step.script and step.reminders[0]["type"] in ("forgettable", "error_prone", "important")


def test_loading_twice_changes_nothing(db, library):
    before = snapshot(db)
    report = load_library(library_root())
    db.session.commit()
    assert not report.changed
    assert snapshot(db) == before


def library_root():
    return SHIPPED


def test_changed_file_updates_row_and_keeps_previous_version(db, programme, library_copy):
    load_library(library_copy)
    db.session.commit()
    path = library_copy / "procedures" / "bill_payment.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("唱收唱付", "唱收唱付（修订）"), encoding="utf-8"
    )
    report = load_library(library_copy)
    db.session.commit()
    assert report.updated == {"procedure": 1}
    procedure = db.session.scalar(select(Procedure).where(Procedure.key == "bill_payment"))
    assert procedure.version == 2
    versions = db.session.scalars(
        select(ContentRevision)
        .where(ContentRevision.key == "bill_payment")
        .order_by(ContentRevision.version)
    ).all()
    assert [r.version for r in versions] == [1, 2]
    assert "唱收唱付（修订）" not in str(versions[0].data)
    assert "唱收唱付（修订）" in str(versions[1].data)


def test_changed_step_keeps_its_row_id(db, programme, library_copy):
    load_library(library_copy)
    db.session.commit()
    step_id = db.session.scalar(select(ProcedureStep.id).where(ProcedureStep.key == "take_payment"))
    path = library_copy / "procedures" / "bill_payment.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("收取现金", "收取现金（新）"), encoding="utf-8"
    )
    load_library(library_copy)
    db.session.commit()
    assert (
        db.session.scalar(select(ProcedureStep.id).where(ProcedureStep.key == "take_payment"))
        == step_id
    )


def test_invalid_library_loads_nothing(db, programme, library_copy):
    (library_copy / "procedures" / "zz_broken.yaml").write_text("key: zz_broken\ntitle: x\n")
    with pytest.raises(LibraryInvalid) as error:
        load_library(library_copy)
    db.session.rollback()
    assert any("zz_broken.yaml:1" in str(p) for p in error.value.problems)
    assert count(db, Procedure) == 0
    assert count(db, ForbiddenPhrase) == 0


def test_load_command_rejects_broken_fixture_and_writes_nothing(db, runner):
    result = runner.invoke(args=["content", "load", str(FIXTURES / "broken")])
    assert result.exit_code == 1
    assert "nothing was loaded" in result.output
    assert count(db, Procedure) == 0


def test_round_trip_load_export_load_is_a_no_op(db, library, tmp_path):
    export_library(tmp_path / "out")
    exported, problems = read_library(tmp_path / "out")
    assert problems == []
    before = snapshot(db)
    report = load_library(tmp_path / "out")
    db.session.commit()
    assert not report.changed
    assert snapshot(db) == before


def test_export_writes_the_same_files_as_the_shipped_procedures(db, library, tmp_path):
    export_library(tmp_path)
    for path in (SHIPPED / "procedures").glob("*.yaml"):
        exported = (tmp_path / "procedures" / path.name).read_text(encoding="utf-8")
        assert exported == path.read_text(encoding="utf-8"), path.name


def test_export_command_then_load_command(db, library, runner, tmp_path):
    result = runner.invoke(args=["content", "export", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["content", "load", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "created nothing; updated nothing" in result.output


def test_programme_gets_its_ordered_modules(db, library, programme):
    keys = db.session.scalars(
        select(ContentModule.key)
        .join(ProgrammeModule)
        .where(ProgrammeModule.programme_id == programme.id)
        .order_by(ProgrammeModule.position)
    ).all()
    # programmes.yaml decides; the trainer guides (coaching_talks, star_clerk) are in no programme
    assert keys[0] == "procedures" and keys == shipped_programme_modules()


def test_library_loader_is_registered_first_for_load_library(app, db, programme):
    order, loader = app.extensions["library_loaders"]["content"]
    assert order == 10
    shipped = len(list((SHIPPED / "procedures").glob("*.yaml")))
    assert f"{shipped} procedure" in loader()
    assert count(db, Procedure) == shipped >= 9

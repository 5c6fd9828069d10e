"""Trainer edits: checked, versioned, audited, and brought back to files by export."""

import pytest
from sqlalchemy import select

from trainer.audit.models import AuditEntry
from trainer.content.editing import (
    EditError,
    format_reminders,
    parse_reminders,
    update_phrase,
    update_step,
)
from trainer.content.loading import export_library
from trainer.content.models import ContentRevision, Procedure, ProcedureStep
from trainer.permissions import Role
from trainer.phrases.models import ForbiddenPhrase
from trainer.phrases.services import check_reply


def step(db, procedure_key, step_key) -> ProcedureStep:
    return db.session.scalar(
        select(ProcedureStep)
        .join(Procedure)
        .where(Procedure.key == procedure_key, ProcedureStep.key == step_key)
    )


def edit_fields(**overrides):
    fields = {
        "title": "唱收唱付",
        "standard": "当面清点现金。\r\n找零当面点清。",
        "script": "收您一百元。\n找您二十元，请您点一下。",
        "reminders": "易错：先唱收再操作\n重要：钱款不离开客户视线",
    }
    return {**fields, **overrides}


def test_step_edit_is_saved_versioned_and_audited(db, library, make_user):
    trainer = make_user(Role.TRAINER)
    target = step(db, "bill_payment", "take_payment")
    update_step(trainer, target, **edit_fields())
    db.session.commit()
    assert target.script == ["收您一百元。", "找您二十元，请您点一下。"]
    assert target.standard == "当面清点现金。\n找零当面点清。\n"
    assert target.reminders[0] == {"type": "error_prone", "text": "先唱收再操作"}
    assert target.procedure.version == 2
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "procedure.step_edit"))
    assert entry.actor_id == trainer.id
    assert entry.after["script"] == ["收您一百元。", "找您二十元，请您点一下。"]
    revision = db.session.scalar(
        select(ContentRevision).where(
            ContentRevision.key == "bill_payment", ContentRevision.version == 2
        )
    )
    assert revision.source == "ui"


def test_saving_an_unchanged_step_makes_no_new_version(db, library, make_user):
    target = step(db, "plan_change", "greet")
    update_step(
        make_user(Role.TRAINER),
        target,
        title=target.title,
        standard=target.standard,
        script="\n".join(target.script),
        reminders=format_reminders(target.reminders),
    )
    assert target.procedure.version == 1


def test_a_script_with_a_forbidden_phrase_is_refused(db, library, make_user):
    target = step(db, "bill_payment", "take_payment")
    with pytest.raises(EditError) as error:
        update_step(make_user(Role.TRAINER), target, **edit_fields(script="快点，收您一百元"))
    assert "script" in error.value.errors
    assert "快点" in error.value.errors["script"][0]


def test_reminder_lines_need_a_type_prefix():
    reminders, errors = parse_reminders("易忘：交还证件\n随便写一句\nimportant: 核对金额")
    assert [r.type for r in reminders] == ["forgettable", "important"]
    assert errors == ["line 2: start with 易忘：, 易错： or 重要："]


def test_edits_are_brought_back_to_files_by_export(db, library, make_user, tmp_path):
    update_step(make_user(Role.TRAINER), step(db, "bill_payment", "take_payment"), **edit_fields())
    db.session.commit()
    export_library(tmp_path)
    text = (tmp_path / "procedures" / "bill_payment.yaml").read_text(encoding="utf-8")
    assert "找您二十元，请您点一下。" in text


def test_phrase_edit_changes_what_the_checker_finds(db, library, make_user):
    phrase = db.session.scalar(select(ForbiddenPhrase).where(ForbiddenPhrase.key == "hurry_up"))
    assert not check_reply("麻利点").forbidden
    update_phrase(
        make_user(Role.TRAINER),
        phrase,
        phrase="快点",
        category="催促",
        reason=phrase.reason,
        alternative=phrase.alternative,
        variants="快一点\n麻利点",
        allowed_contexts="我快点",
    )
    db.session.commit()
    assert [f.rule_key for f in check_reply("麻利点").forbidden] == ["hurry_up"]
    assert phrase.version == 2
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "phrase.edit"))


def test_phrase_edit_refuses_a_context_without_the_phrase(db, library, make_user):
    phrase = db.session.scalar(select(ForbiddenPhrase).where(ForbiddenPhrase.key == "hurry_up"))
    with pytest.raises(EditError) as error:
        update_phrase(
            make_user(Role.TRAINER),
            phrase,
            phrase="快点",
            category="催促",
            reason="r",
            alternative="a",
            allowed_contexts="慢慢来",
        )
    assert "allowed_contexts" in error.value.errors


def test_phrase_edit_refuses_a_wording_another_phrase_has(db, library, make_user):
    phrase = db.session.scalar(select(ForbiddenPhrase).where(ForbiddenPhrase.key == "hurry_up"))
    with pytest.raises(EditError) as error:
        update_phrase(
            make_user(Role.TRAINER),
            phrase,
            phrase="快点",
            category="催促",
            reason="r",
            alternative="a",
            variants="不 知 道",
        )
    assert "不知道" in error.value.errors["variants"][0]

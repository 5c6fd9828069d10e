"""Anonymising a leaver: their name appears nowhere afterwards except in training content
(where it could only be a coincidence: README, Personal data)."""

import json
import re
import subprocess

import pytest
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.audit.models import AuditEntry
from trainer.certificates.documents import read_pdf
from trainer.certificates.models import Certificate
from trainer.certificates.services import verify
from trainer.extensions import db
from trainer.permissions import Role
from trainer.privacy.anonymise import CONTENT_TABLES, Identity, replacer
from trainer.privacy.services import PrivacyError, anonymise_person
from trainer.roleplay.models import DrillSession, DrillStep

from .conftest import occurrences


def anonymise(user) -> str:
    pseudonym = anonymise_person(None, user, user.employee_no)
    db.session.commit()
    return pseudonym


@pytest.mark.parametrize("employee_no", ["E0020", "M0001", "T0001"])
def test_the_name_appears_nowhere_but_in_training_content(person, employee_no):
    user = person(employee_no)
    name, number, user_id = user.name, user.employee_no, user.id
    others = db.session.scalars(select(User.name).where(User.id != user_id)).all()
    assert not any(name in other for other in others)  # the scan below counts plain hits
    before = occurrences(name)
    assert sum(before.values()) > 3  # the demo mentions them: the test can fail

    anonymise(user)

    after = occurrences(name)
    assert {where for where in after if where.split(".")[0] not in CONTENT_TABLES} == set()
    assert all(after[where] <= before[where] for where in after)
    assert occurrences(re.compile(rf"(?<![0-9A-Za-z]){number}(?![0-9A-Za-z])")) == {}
    assert db.session.get(User, user_id).name.startswith("已匿名-")


def test_the_account_is_closed_and_the_certificate_stays_valid(person):
    trainee = person("E0020")
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == trainee.id))
    code, serial, issued_on = (
        certificate.verification_code,
        certificate.serial,
        certificate.issued_on,
    )
    pseudonym = anonymise(trainee)

    assert not trainee.active and trainee.email is None and trainee.phone is None
    assert trainee.employee_no == pseudonym
    result = verify(code)
    assert result.status == "valid" and result.anonymised and result.serial == serial
    certificate = db.session.get(Certificate, certificate.id)
    assert certificate.issued_on == issued_on and certificate.holder_name == pseudonym


def test_drill_replies_they_typed_are_replaced_and_their_points_kept(person):
    trainee = person("E0020")
    steps = (
        select(DrillStep)
        .join(DrillSession)
        .where(DrillSession.user_id == trainee.id, DrillStep.kind == "reply")
    )
    points = sorted(step.points for step in db.session.scalars(steps))
    pseudonym = anonymise(trainee)
    replies = db.session.scalars(steps).all()
    assert replies and {step.reply_text for step in replies} == {pseudonym}
    assert sorted(step.points for step in replies) == points


def test_the_audit_entry_names_no_one(person):
    trainee = person("E0020")
    name = trainee.name
    pseudonym = anonymise(trainee)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.anonymise"))
    assert entry.target_id == str(trainee.id) and entry.after["pseudonym"] == pseudonym
    assert name not in json.dumps([entry.before, entry.after, entry.reason], ensure_ascii=False)


def test_anonymising_needs_the_employee_number_typed_and_happens_once(person):
    trainee = person("E0020")
    with pytest.raises(PrivacyError, match="E0020"):
        anonymise_person(None, trainee, "E0019")
    db.session.rollback()
    anonymise(trainee)
    with pytest.raises(PrivacyError, match="already"):
        anonymise_person(None, trainee, trainee.employee_no)


def test_an_admin_cannot_anonymise_themselves(make_user):
    admin = make_user(Role.ADMIN)
    with pytest.raises(PrivacyError):
        anonymise_person(admin, admin, admin.employee_no)


def test_other_peoples_longer_names_and_numbers_are_left_whole():
    identity = Identity("张伟", "E001", "zw@example.cn", "13800000001")
    replace = replacer(identity, "已匿名-x", ["张伟明"])
    text = "张伟 与 张伟明 交接；E001、E0012；13800000001，138000000012；ZW@example.cn"
    assert replace(text) == (
        "已匿名-x 与 张伟明 交接；已匿名-x、E0012；已匿名-x，138000000012；已匿名-x"
    )


def test_the_stored_certificate_is_rendered_again_under_the_pseudonym(person):
    trainee = person("E0020")
    name = trainee.name
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == trainee.id))
    assert name in pdf_text(read_pdf(certificate))
    pseudonym = anonymise(trainee)
    db.session.expire_all()
    certificate = db.session.get(Certificate, certificate.id)
    text = pdf_text(read_pdf(certificate))
    assert pseudonym in text and name not in text
    assert read_pdf(certificate).startswith(b"%PDF")  # the download checks the new hash


def pdf_text(pdf: bytes) -> str:
    return (
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .replace("\n", "")
        .replace(" ", "")
    )


def test_a_latin_name_is_replaced_as_a_word():
    replace = replacer(Identity("Ann Lee", "E7", None, None), "已匿名-x", [])
    assert replace("Ann Lee, Annie Leeds; Ann Leeway") == "已匿名-x, Annie Leeds; Ann Leeway"

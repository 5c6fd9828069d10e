"""Issuance, verification, revocation, expiry and re-certification rules."""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.certificates.conftest import bring_to
from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.certificates.models import Certificate
from trainer.certificates.services import (
    CertificateError,
    certificate_for,
    expiring,
    format_serial,
    issue_and_certify,
    issue_certificate,
    normalise_code,
    recertify,
    revoke_certificate,
    verify,
)
from trainer.training.models import Enrolment
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


def count_certificates(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate))


def test_passing_the_final_exam_issues_a_certificate_and_certifies(certificate, db):
    enrolment = certificate.enrolment
    assert enrolment.stage == Stage.CERTIFIED
    assert certificate.holder_name == "张伟明"
    assert certificate.hall_name == "人民路营业厅"
    assert certificate.trainer_name == "王培训"
    assert certificate.serial == format_serial(clock.today().year, 1)


def test_issuance_is_idempotent_for_one_pass(certificate, db, trainer_user):
    again = issue_certificate(certificate.enrolment, trainer_user)
    db.session.commit()
    assert again.id == certificate.id
    assert count_certificates(db) == 1


def test_unique_constraint_rejects_a_second_certificate_for_the_same_pass(certificate, db):
    twin = Certificate(
        **{
            c.key: getattr(certificate, c.key)
            for c in Certificate.__table__.columns
            if c.key not in {"id", "serial", "verification_code", "sequence"}
        },
        serial="SQ-1999-000001",
        verification_code="X" * 20,
        sequence=999,
    )
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_certified_requirement_needs_an_issued_certificate(make_enrolment):
    enrolment = make_enrolment()
    assert trainee_path.unmet(enrolment, Stage.CERTIFIED) != []


def test_serials_are_sequential_and_restart_each_year(
    make_trainee, make_enrolment, make_cohort, trainer_user, pass_final
):
    cohort = make_cohort(trainer=trainer_user)
    first = pass_final(make_enrolment(make_trainee("甲"), cohort))
    second = pass_final(make_enrolment(make_trainee("乙"), cohort))
    year = clock.today().year
    assert [first.serial, second.serial] == [format_serial(year, 1), format_serial(year, 2)]
    days_to_new_year = (date(year + 1, 1, 1) - clock.today()).days
    with clock.travel(days=days_to_new_year):
        third = pass_final(make_enrolment(make_trainee("丙"), cohort))
    assert third.serial == format_serial(year + 1, 1)


def test_concurrent_issuers_never_share_a_serial(
    app, db, make_trainee, make_enrolment, make_cohort, trainer_user
):
    cohort = make_cohort(trainer=trainer_user)
    ids = []
    for n in range(4):
        enrolment = make_enrolment(make_trainee(f"并发{n}"), cohort)
        bring_to(enrolment, Stage.INTERNSHIP_COMPLETE, trainer_user)
        ids.append(enrolment.id)
    db.session.commit()
    errors = []

    def issue(enrolment_id):
        with app.app_context():
            try:
                issue_and_certify(db.session.get(Enrolment, enrolment_id))
                db.session.commit()
            except Exception as exc:  # surfaced by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=issue, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sequences = sorted(db.session.scalars(select(Certificate.sequence)))
    assert sequences == [1, 2, 3, 4]


def test_valid_code_verifies_with_name_hall_and_expiry(certificate):
    result = verify(certificate.verification_code)
    assert (result.status, result.name, result.hall) == ("valid", "张伟明", "人民路营业厅")
    assert result.to_dict() == {
        "status": "valid",
        "serial": certificate.serial,
        "name": "张伟明",
        "expires": certificate.expires_on.isoformat(),
    }


def test_code_with_one_character_changed_is_unknown(certificate):
    code = certificate.verification_code
    tampered = code[:5] + ("A" if code[5] != "A" else "B") + code[6:]
    assert verify(tampered).to_dict() == {
        "status": "unknown",
        "serial": None,
        "name": None,
        "expires": None,
    }


def test_code_is_long_random_and_typing_is_forgiving(certificate):
    code = certificate.verification_code
    assert len(code) == 20 and set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert normalise_code(f" {code[:10].lower()}-{code[10:]} ") == code


def test_serial_must_match_the_code_in_the_form(certificate):
    assert verify(certificate.verification_code, serial="SQ-2000-000001").status == "unknown"
    assert verify(certificate.verification_code, serial=certificate.serial).status == "valid"


def test_revoked_certificate_verifies_as_revoked_and_is_audited(certificate, db, trainer_user):
    revoke_certificate(certificate, trainer_user, "冒名顶替考试")
    db.session.commit()
    assert verify(certificate.verification_code).status == "revoked"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.revoke"))
    assert (entry.actor_id, entry.reason) == (trainer_user.id, "冒名顶替考试")


def test_revocation_needs_a_reason(certificate, trainer_user):
    with pytest.raises(CertificateError):
        revoke_certificate(certificate, trainer_user, "   ")


def test_certificate_is_valid_on_its_last_day_and_expired_after(certificate):
    last_day = (certificate.expires_on - clock.today()).days
    with clock.travel(days=last_day):
        assert verify(certificate.verification_code).status == "valid"
    with clock.travel(days=last_day + 1):
        assert verify(certificate.verification_code).status == "expired"


def test_expiry_follows_the_programme_setting(certificate):
    days = certificate.enrolment.programme.certificate_valid_days
    assert (certificate.expires_on - certificate.issued_on).days == days


def test_expiring_lists_current_certificates_within_the_window(certificate, db, trainer_user):
    days_left = (certificate.expires_on - clock.today()).days
    assert expiring(60) == []
    with clock.travel(days=days_left - 30):
        assert expiring(60) == [certificate]
        revoke_certificate(certificate, trainer_user, "离职")
        assert expiring(60) == []


def test_recertification_supersedes_the_old_certificate(certificate, db, trainer_user):
    enrolment = certificate.enrolment
    with clock.travel(days=700):
        renewed = recertify(enrolment, trainer_user, basis="refresher:1")
        again = recertify(enrolment, trainer_user, basis="refresher:1")
        db.session.commit()
        assert again.id == renewed.id
        assert certificate.superseded_by_id == renewed.id
        assert verify(certificate.verification_code).status == "expired"
        assert verify(certificate.verification_code).replaced_by == renewed.serial
        assert verify(renewed.verification_code).status == "valid"
        assert renewed.expires_on > certificate.expires_on
    assert certificate_for(enrolment) == certificate


def test_only_certified_staff_are_recertified(make_enrolment, trainer_user):
    with pytest.raises(CertificateError):
        recertify(make_enrolment(), trainer_user)

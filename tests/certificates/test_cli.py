"""`trainer certs …`: the verify JSON contract, bulk issue, expiring and revoke."""

import json

from sqlalchemy import func, select

from tests.certificates.conftest import bring_to
from trainer import clock
from trainer.certificates.models import Certificate
from trainer.training.stages import Stage


def test_verify_prints_the_contract_and_exits_0_when_valid(runner, certificate):
    result = runner.invoke(args=["certs", "verify", certificate.verification_code])
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "status": "valid",
        "serial": certificate.serial,
        "name": "张伟明",
        "expires": certificate.expires_on.isoformat(),
    }


def test_verify_unknown_exits_1_with_nulls(runner, certificate):
    result = runner.invoke(args=["certs", "verify", "NOTACODE"])
    assert result.exit_code == 1
    assert json.loads(result.output) == {
        "status": "unknown",
        "serial": None,
        "name": None,
        "expires": None,
    }


def test_verify_expired_exits_1(runner, certificate):
    with clock.travel(days=(certificate.expires_on - clock.today()).days + 1):
        result = runner.invoke(args=["certs", "verify", certificate.verification_code])
    assert result.exit_code == 1 and json.loads(result.output)["status"] == "expired"


def test_revoke_command_then_verify_says_revoked(runner, certificate, trainer_user):
    revoked = runner.invoke(
        args=[
            "certs",
            "revoke",
            certificate.serial,
            "--reason",
            "离职",
            "--actor",
            trainer_user.employee_no,
        ]
    )
    assert revoked.exit_code == 0, revoked.output
    result = runner.invoke(args=["certs", "verify", certificate.verification_code])
    assert result.exit_code == 1 and json.loads(result.output)["status"] == "revoked"


def test_issue_for_cohort_issues_to_everyone_qualifying(
    runner, db, make_trainee, make_enrolment, make_cohort, trainer_user
):
    cohort = make_cohort(trainer=trainer_user)
    waiting = make_enrolment(make_trainee("未结业"), cohort)
    for n in range(3):
        enrolment = make_enrolment(make_trainee(f"学员{n}"), cohort)
        bring_to(enrolment, Stage.INTERNSHIP_COMPLETE, trainer_user)
        # FINAL_PASSED recorded without the listener, as if certificates were switched on later
        enrolment.stage = Stage.FINAL_PASSED
    db.session.commit()
    result = runner.invoke(args=["certs", "issue", "--cohort", str(cohort.id)])
    assert result.exit_code == 0, result.output
    assert "issued 3, failed 0, of 3" in result.output
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 3
    db.session.refresh(waiting)
    assert waiting.stage != Stage.CERTIFIED
    again = runner.invoke(args=["certs", "issue", "--cohort", str(cohort.id)])
    assert "issued 0, failed 0, of 0" in again.output


def test_issue_for_a_missing_cohort_names_the_option(runner):
    result = runner.invoke(args=["certs", "issue", "--cohort", "999"])
    assert result.exit_code == 2 and "--cohort" in result.output


def test_expiring_lists_certificates_within_the_window(runner, certificate):
    assert certificate.serial not in runner.invoke(args=["certs", "expiring"]).output
    with clock.travel(days=(certificate.expires_on - clock.today()).days - 10):
        result = runner.invoke(args=["certs", "expiring", "--days", "60"])
    assert certificate.serial in result.output and "张伟明" in result.output

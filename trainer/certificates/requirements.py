"""The certificate's place on the trainee path: passing the final exam issues it."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask_babel import gettext as _
from sqlalchemy import exists, select

from trainer.certificates.models import Certificate
from trainer.certificates.services import issue_and_certify
from trainer.extensions import db
from trainer.training.models import Enrolment
from trainer.training.path import trainee_path
from trainer.training.stages import Stage

_issuance_paused: ContextVar[bool] = ContextVar("certificate_issuance_paused", default=False)


@contextmanager
def automatic_issuance_paused() -> Iterator[None]:
    """Let trainees enter FINAL_PASSED without a certificate (demo data waiting for the
    trainer's bulk issuance); they stay there until `trainer certs issue` or the register."""
    token = _issuance_paused.set(True)
    try:
        yield
    finally:
        _issuance_paused.reset(token)


@trainee_path.requirement(Stage.CERTIFIED)
def certificate_issued(enrolment: Enrolment) -> list[str]:
    issued = db.session.scalar(select(exists().where(Certificate.enrolment_id == enrolment.id)))
    return [] if issued else [_("A certificate has not been issued yet.")]


@trainee_path.on_enter(Stage.FINAL_PASSED)
def issue_on_final_pass(enrolment: Enrolment, actor) -> None:
    if not _issuance_paused.get():
        issue_and_certify(enrolment, actor)

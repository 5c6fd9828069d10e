"""The certificate's place on the trainee path: passing the final exam issues it."""

from flask_babel import gettext as _
from sqlalchemy import exists, select

from trainer.certificates.models import Certificate
from trainer.certificates.services import issue_and_certify
from trainer.extensions import db
from trainer.training.models import Enrolment
from trainer.training.path import trainee_path
from trainer.training.stages import Stage


@trainee_path.requirement(Stage.CERTIFIED)
def certificate_issued(enrolment: Enrolment) -> list[str]:
    issued = db.session.scalar(select(exists().where(Certificate.enrolment_id == enrolment.id)))
    return [] if issued else [_("A certificate has not been issued yet.")]


@trainee_path.on_enter(Stage.FINAL_PASSED)
def issue_on_final_pass(enrolment: Enrolment, actor) -> None:
    issue_and_certify(enrolment, actor)

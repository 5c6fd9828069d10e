"""The certificate's place on the trainee path: CERTIFIED needs an issued certificate
(registered by the package's init_app; issuing itself reacts to the final pass, issuing.py)."""

from flask_babel import gettext as _
from sqlalchemy import exists, select

from trainer.certificates.models import Certificate
from trainer.extensions import db
from trainer.training.models import Enrolment


def certificate_issued(enrolment: Enrolment) -> list[str]:
    issued = db.session.scalar(select(exists().where(Certificate.enrolment_id == enrolment.id)))
    return [] if issued else [_("A certificate has not been issued yet.")]

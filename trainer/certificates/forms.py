"""Forms of the certificate pages: verification, register filters, revocation, bulk issue."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class VerifyForm(FlaskForm):
    """Serial + code typed from a paper certificate; a GET form, nothing changes."""

    class Meta:
        csrf = False

    serial = StringField(_l("Serial number"), validators=[DataRequired(), Length(max=20)])
    code = StringField(_l("Verification code"), validators=[DataRequired(), Length(max=64)])


class RegisterFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name, employee number, serial or hall"), validators=[Length(max=80)])
    status = SelectField(
        _l("Status"),
        choices=[
            ("", _l("All")),
            ("valid", _l("Valid")),
            ("expiring", _l("Expiring within 60 days")),
            ("expired", _l("Expired")),
            ("revoked", _l("Revoked")),
        ],
        default="",
    )
    cohort_id = SelectField(_l("Cohort"), coerce=lambda v: int(v) if v else None, default=None)


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class BulkIssueForm(FlaskForm):
    cohort_id = SelectField(_l("Cohort"), coerce=int, validators=[DataRequired()])

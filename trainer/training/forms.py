"""Trainer forms: a new cohort, enrolling trainees, moving a trainee on the path."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    programme_id = SelectField(_l("Programme"), coerce=int, validators=[DataRequired()])
    trainer_id = SelectField(_l("Trainer"), coerce=int, validators=[DataRequired()])
    start_date = DateField(_l("Start date"), validators=[DataRequired()])


class EnrolForm(FlaskForm):
    trainee_ids = SelectMultipleField(_l("Trainees"), coerce=int, validators=[DataRequired()])


class OverrideForm(FlaskForm):
    to_stage = SelectField(_l("Move to"), validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason (required when a requirement is unmet)"), validators=[Length(max=1000)]
    )

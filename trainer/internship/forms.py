"""Internship forms: placement, plan source, log entry, sign-off, countersign, withdrawal,
absence and comments."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from trainer.internship.models import GRADE_LABELS, Grade


class PlacementForm(FlaskForm):
    hall_id = SelectField(_l("Business hall"), coerce=int, validators=[DataRequired()])
    mentor_id = SelectField(_l("Mentor"), coerce=int, validators=[DataRequired()])
    duty_manager_id = SelectField(
        _l("Duty manager (optional)"), coerce=int, validators=[Optional()]
    )
    plan_id = SelectField(_l("Internship plan"), coerce=int, validators=[DataRequired()])
    start_date = DateField(_l("Start date"), validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason for the change (when reassigning)"), validators=[Length(max=500)]
    )


class SignOffForm(FlaskForm):
    observed_on = DateField(_l("Observed on"), validators=[DataRequired()])
    items = SelectMultipleField(_l("Observed behaviours"), coerce=int, validate_choice=False)
    rating = RadioField(
        _l("Rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        validators=[InputRequired()],
    )
    grade = RadioField(
        _l("Overall grade"),
        # lazy labels: choices built at import would freeze the language of the first request
        choices=[(g.value, GRADE_LABELS[g]) for g in Grade],
        validators=[InputRequired()],
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])
    duty_manager_present = BooleanField(_l("The duty manager was present"))
    token = HiddenField(validators=[DataRequired()])


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for withdrawing"), validators=[DataRequired(), Length(max=1000)]
    )


class CountersignForm(FlaskForm):
    pass


class AbsenceForm(FlaskForm):
    day = DateField(_l("Day"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class LogEntryForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    task_id = SelectField(_l("Task (optional)"), coerce=int, validators=[Optional()])
    what_happened = TextAreaField(
        _l("What happened"), validators=[DataRequired(), Length(max=4000)]
    )
    reflection = TextAreaField(
        _l("What I learned / will do differently"), validators=[Length(max=4000)]
    )


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=2000)])


class PlanSourceForm(FlaskForm):
    source = TextAreaField(_l("Plan (YAML)"), validators=[DataRequired(), Length(max=200_000)])

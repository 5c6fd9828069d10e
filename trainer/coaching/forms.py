"""Coaching forms: recording a talk, its outcome, the trainee's acknowledgement."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CoachingForm(FlaskForm):
    held_on = DateField(_l("Date of the talk"), validators=[DataRequired()])
    focus = CheckboxesField(_l("Weak areas discussed"), validators=[Optional()])
    discussion = TextAreaField(_l("What was discussed"), validators=[Length(max=5000)])
    agreed_actions = TextAreaField(
        _l("Agreed actions"), validators=[DataRequired(), Length(max=5000)]
    )
    follow_up_on = DateField(_l("Follow-up date"), validators=[Optional()])


class OutcomeForm(FlaskForm):
    outcome = TextAreaField(_l("Outcome"), validators=[DataRequired(), Length(max=5000)])
    close = BooleanField(_l("Close the record (the actions are done)"), default=True)
    follow_up_on = DateField(_l("Next follow-up date"), validators=[Optional()])


class AcknowledgeForm(FlaskForm):
    comment = TextAreaField(_l("Your comment (optional)"), validators=[Length(max=1000)])

"""Award forms: giving and withdrawing an award."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length


class AwardForm(FlaskForm):
    kind = SelectField(_l("Award"), validators=[DataRequired()])
    month = HiddenField(validators=[DataRequired()])
    winner = SelectField(_l("Winner"), validators=[DataRequired()])  # "user:ID" or "hall:ID"
    citation = TextAreaField(_l("Citation"), validators=[DataRequired(), Length(max=2000)])


class RevokeAwardForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])

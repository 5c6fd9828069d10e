"""The phrase checker form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class CheckForm(FlaskForm):
    text = TextAreaField(
        _l("Your reply"), validators=[DataRequired(), Length(max=5000)], render_kw={"rows": 5}
    )
    submit = SubmitField(_l("Check"))

"""Forms of the personal-data pages: every button is a POST with its CSRF token."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class ActionForm(FlaskForm):
    """A button: export, purge (only the CSRF token)."""


class FindPersonForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])


class AnonymiseForm(FlaskForm):
    confirmation = StringField(
        _l("Type the employee number to confirm"), validators=[DataRequired(), Length(max=32)]
    )

"""Admin forms: a user, a hall, the users CSV upload."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.accounts.services import MIN_PASSWORD_LENGTH
from trainer.permissions import ROLE_LABELS, Role


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes (a multi-select hides what is chosen)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        offered = {str(value) for value, _label in self.choices}
        if any(str(value) not in offered for value in self.data or []):
            raise ValidationError(_l("Choose among the listed options."))


class UserForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    roles = CheckboxesField(
        _l("Roles"), choices=[(r.value, ROLE_LABELS[r]) for r in Role], validators=[DataRequired()]
    )
    hall_id = SelectField(_l("Hall"), coerce=int, validators=[Optional()])
    email = StringField(_l("Email"), validators=[Optional(), Email(), Length(max=255)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32)])
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(
        _l("Password"), validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )


class HallForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(
        _l("Kind"),
        choices=[
            ("hall", _l("Business hall")),
            ("shop", _l("Franchised shop")),
            ("hotline", _l("Hotline centre")),
        ],
    )
    region = StringField(_l("Region"), validators=[Optional(), Length(max=80)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=255)])


class UserImportForm(FlaskForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[FileRequired(), FileAllowed(["csv", "xlsx"], _l("A .csv or .xlsx file only."))],
    )


class ConfirmForm(FlaskForm):
    """A button that changes data: only the CSRF token (bulk deactivation, password reset)."""

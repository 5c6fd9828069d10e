"""Login, password change and language forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from trainer.accounts.services import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Passwords differ."))],
    )


class LanguageForm(FlaskForm):
    locale = SelectField(choices=[("zh_CN", "中文"), ("en", "English")])
    next = HiddenField()

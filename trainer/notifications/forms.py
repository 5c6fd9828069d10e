"""Notification forms: marking read and the e-mail preference."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class PreferencesForm(FlaskForm):
    email = BooleanField(_l("Also send me these notifications by e-mail"))


class MarkReadForm(FlaskForm):
    """CSRF only: marking read is a POST."""

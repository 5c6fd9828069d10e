from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class EmptyForm(FlaskForm):
    """CSRF only: start and submit buttons."""


class QuestionForm(FlaskForm):
    source = TextAreaField(
        _l("Question (YAML)"),
        validators=[DataRequired()],
        render_kw={"rows": 18, "spellcheck": "false"},
    )
    regrade = BooleanField(_l("Regrade finished attempts with this version"))


class ImportForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired()])
    format = SelectField(
        _l("Format"), choices=[("gift", "GIFT"), ("yaml", "YAML"), ("json", "JSON")]
    )
    bank = StringField(_l("Bank name"), validators=[Optional(), Length(max=80)])


class EssayGradeForm(FlaskForm):
    points = DecimalField(_l("Points"), validators=[InputRequired(), NumberRange(min=0)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])

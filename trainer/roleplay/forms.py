"""Drill forms: starting a drill, choosing or typing a reply, reviews, the scenario editor."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class StartDrillForm(FlaskForm):
    mode = RadioField(
        _l("Mode"),
        choices=[
            ("practice", _l("Practice (feedback after every turn)")),
            ("exam", _l("Exam (feedback at the end)")),
        ],
        default="practice",
    )


class MoveForm(FlaskForm):
    """Shared by choices and replies: which turn and step the move answers (idempotency)."""

    turn = HiddenField(validators=[DataRequired()])
    position = IntegerField(validators=[InputRequired()])


class ChoiceForm(MoveForm):
    choice = IntegerField(validators=[InputRequired()])


class ReplyForm(MoveForm):
    reply = TextAreaField(_l("Your reply"), validators=[DataRequired(), Length(max=2000)])


class ReviewForm(FlaskForm):
    """Per-element verdicts arrive as fields named `verdict-<element key>` (auto|found|missing)."""

    comment = TextAreaField(
        _l("Comment (required when you change a verdict)"),
        validators=[Optional(), Length(max=1000)],
    )


class ScenarioSourceForm(FlaskForm):
    source = TextAreaField(_l("Scenario (YAML)"), validators=[DataRequired(), Length(max=100_000)])
    action = StringField(validators=[Optional()])


class ExampleForm(FlaskForm):
    """An example reply for one element of one typed turn (also the CSRF of removing one)."""

    turn = HiddenField(validators=[Optional()])
    element = StringField(validators=[Optional(), Length(max=64)])
    text = StringField(_l("Example reply"), validators=[Optional(), Length(max=2000)])
    found = StringField(validators=[Optional()])

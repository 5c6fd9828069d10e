"""Forms of the content pages: studied pages and the procedure, step and phrase editors."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class StudiedForm(FlaskForm):
    """Mark a page as studied (a button; the form carries the CSRF token)."""


class ProcedureForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    summary = TextAreaField(_l("Summary"), render_kw={"rows": 3})
    save = SubmitField(_l("Save"))


class StepForm(FlaskForm):
    title = StringField(_l("Step title"), validators=[DataRequired(), Length(max=120)])
    standard = TextAreaField(
        _l("Behaviour standard (what to do)"), validators=[DataRequired()], render_kw={"rows": 5}
    )
    script = TextAreaField(
        _l("Script (what to say, one line per sentence)"),
        validators=[DataRequired()],
        render_kw={"rows": 4},
    )
    reminders = TextAreaField(
        _l("Reminders (one per line, starting with 易忘：, 易错： or 重要：)"),
        render_kw={"rows": 4},
    )
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))


class PhraseForm(FlaskForm):
    phrase = StringField(_l("Forbidden phrase"), validators=[DataRequired(), Length(max=200)])
    variants = TextAreaField(_l("Variants (one per line)"), render_kw={"rows": 3})
    category = StringField(_l("Category"), validators=[DataRequired(), Length(max=40)])
    reason = TextAreaField(
        _l("Why it is forbidden"), validators=[DataRequired()], render_kw={"rows": 2}
    )
    alternative = TextAreaField(
        _l("Say instead"), validators=[DataRequired()], render_kw={"rows": 2}
    )
    allowed_contexts = TextAreaField(
        _l("Allowed contexts (one per line; the phrase is harmless inside them)"),
        render_kw={"rows": 3},
    )
    sample = TextAreaField(_l("Try it on a reply (preview only)"), render_kw={"rows": 2})
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))


class ReadingTimeForm(FlaskForm):
    """A trainer's minimum reading time per page of a module (empty: derived from length)."""

    seconds = IntegerField(
        _l("Minimum reading time per page (seconds)"),
        validators=[Optional(), NumberRange(min=0, max=3600)],
    )

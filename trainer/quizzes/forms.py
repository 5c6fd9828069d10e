"""Quiz forms: bank import, question source, quiz settings, essay grading."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from trainer.quizzes.paging import MAX_QUESTIONS_PER_PAGE


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
        _l("Format"),
        choices=[
            ("auto", _l("From the file name (.xml, .gift, .txt, .json, .yaml)")),
            ("moodlexml", _l("Moodle XML")),
            ("gift", "GIFT"),
            ("yaml", "YAML"),
            ("json", "JSON"),
        ],
        default="auto",
    )
    bank = StringField(_l("Bank name"), validators=[Optional(), Length(max=80)])
    skip_unsupported = BooleanField(
        _l("Skip questions of types this product lacks (Moodle XML) and import the rest")
    )


class EssayGradeForm(FlaskForm):
    points = DecimalField(_l("Points"), validators=[InputRequired(), NumberRange(min=0)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])


DATETIME_LOCAL = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


REVIEW_WHEN_CHOICES = [
    ("", _l("Default for the quiz type")),
    ("immediately", _l("Immediately after submitting")),
    ("after_close", _l("After the quiz closes")),
    ("after_last_attempt", _l("After the last allowed attempt")),
    ("never", _l("Never")),
]


class QuizForm(FlaskForm):
    """Quiz settings; `rules` is YAML: `- {category: procedures, count: 8}`, `- {question: b/k}`."""

    key = StringField(_l("Key"), validators=[DataRequired(), Length(max=80)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    purpose = SelectField(
        _l("Purpose"),
        choices=[
            ("practice", _l("Practice")),
            ("pre_job", _l("Pre-job exam")),
            ("final", _l("Final exam")),
            ("refresher", _l("Refresher")),
        ],
    )
    time_limit_minutes = IntegerField(
        _l("Time limit (minutes)"), validators=[Optional(), NumberRange(min=1, max=600)]
    )
    attempts_allowed = IntegerField(
        _l("Attempts allowed (empty: programme default, 0: unlimited)"),
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
    pass_percent = DecimalField(
        _l("Pass mark (%)"), default=80, validators=[InputRequired(), NumberRange(min=0, max=100)]
    )
    grading_method = SelectField(
        _l("Grade across attempts"),
        choices=[
            ("highest", _l("Highest")),
            ("first", _l("First")),
            ("last", _l("Last")),
            ("average", _l("Average")),
        ],
    )
    shuffle_questions = BooleanField(_l("Shuffle questions"), default=True)
    shuffle_answers = BooleanField(_l("Shuffle answers"), default=True)
    questions_per_page = IntegerField(
        _l("Questions per page"),
        validators=[Optional(), NumberRange(min=1, max=MAX_QUESTIONS_PER_PAGE)],
        description=_l("Empty: all questions on one page."),
    )
    review_when = SelectField(_l("Review and marks shown"), choices=REVIEW_WHEN_CHOICES, default="")
    review_feedback_when = SelectField(
        _l("Feedback shown"), choices=REVIEW_WHEN_CHOICES, default=""
    )
    review_answers_when = SelectField(
        _l("Right answers shown"),
        choices=REVIEW_WHEN_CHOICES,
        default="",
        description=_l("Exams never show the right answers while attempts remain."),
    )
    # the HTML datetime-local value ("2026-01-05T09:00"), in the trainer's time zone
    open_at = DateTimeLocalField(_l("Opens"), format=DATETIME_LOCAL, validators=[Optional()])
    close_at = DateTimeLocalField(_l("Closes"), format=DATETIME_LOCAL, validators=[Optional()])
    cohort_ids = SelectMultipleField(_l("Only for these cohorts (none: everyone)"), coerce=int)
    published = BooleanField(_l("Published"), default=True)
    rules = TextAreaField(
        _l("Rules (YAML)"),
        validators=[Optional()],
        render_kw={"rows": 8, "spellcheck": "false"},
    )

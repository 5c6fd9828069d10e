"""The library status page's form: how a trainer resolves one differing file or item."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, DataRequired

from trainer.library_status.services import Resolution


class ResolveForm(FlaskForm):
    """One resolution of one item; `text` only for a merge by hand."""

    kind = HiddenField(validators=[DataRequired()])
    key = HiddenField(validators=[DataRequired()])
    resolution = HiddenField(validators=[AnyOf([r.value for r in Resolution])])
    text = TextAreaField(_l("Merged text"), render_kw={"rows": 24, "spellcheck": "false"})

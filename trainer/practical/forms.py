"""Forms of the practical assessment. The checklist's items are read from the posted form by
`read_results` (one radio group and one note per item, named after the item's key)."""

import contextlib

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from trainer.practical.models import ItemResult, PracticalChecklist


class AssessmentForm(FlaskForm):
    observed_on = DateField(_l("Observed on"), validators=[DataRequired()])
    comment = TextAreaField(_l("Overall comment"), validators=[Length(max=2000)])
    token = HiddenField(validators=[DataRequired()])


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for withdrawing"), validators=[DataRequired(), Length(max=1000)]
    )


def read_results(formdata, checklist: PracticalChecklist) -> tuple[dict, dict]:
    """({item key: ItemResult}, {item key: note}) from the posted form; an item without a
    valid choice is left out, and the service names it."""
    results, notes = {}, {}
    for item in checklist.items:
        with contextlib.suppress(ValueError):
            results[item["key"]] = ItemResult(formdata.get(f"item-{item['key']}", ""))
        notes[item["key"]] = formdata.get(f"note-{item['key']}", "")
    return results, notes

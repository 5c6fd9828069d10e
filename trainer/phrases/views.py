"""The phrase checker (anyone logged in) and the list of forbidden phrases with alternatives.

Trainers edit phrases through the content feature (versioned, audited, exported)."""

from flask import Blueprint, render_template

from trainer.permissions import any_user
from trainer.phrases.forms import CheckForm
from trainer.phrases.highlight import highlight_segments
from trainer.phrases.services import check_reply, phrases_by_category

bp = Blueprint("phrases", __name__)


@bp.route("/phrases/check", methods=["GET", "POST"])
@any_user
def checker():
    form = CheckForm()
    findings = segments = None
    if form.validate_on_submit():
        findings = check_reply(form.text.data)
        segments = highlight_segments(form.text.data, findings.forbidden)
    return render_template("phrases/checker.html", form=form, findings=findings, segments=segments)


@bp.get("/phrases")
@any_user
def index():
    return render_template("phrases/index.html", grouped=phrases_by_category())

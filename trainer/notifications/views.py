"""The notification centre: the list (paginated), opening one (marks it read), marking all
read, and the e-mail preference. Every change is a POST; the list itself never marks
anything read."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.notifications.forms import MarkReadForm, PreferencesForm
from trainer.notifications.services import (
    icon_of,
    mark_all_read,
    mark_read,
    own_notification,
    page_of,
    set_email_preference,
    text_of,
    unread_count,
    url_of,
    wants_email,
)
from trainer.permissions import any_user
from trainer.unit_of_work import unit_of_work

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@any_user
def index():
    unread_only = request.args.get("unread") == "1"
    page = page_of(current_user, request.args.get("page", 1, type=int), unread_only)
    return render_template(
        "notifications/index.html",
        page=page,
        unread_only=unread_only,
        unread=unread_count(current_user),
        text_of=text_of,
        url_of=url_of,
        icon_of=icon_of,
        form=MarkReadForm(),
        preferences=PreferencesForm(email=wants_email(current_user)),
    )


@bp.post("/<int:notification_id>/open")
@any_user
def open_one(notification_id: int):
    notification = own_notification(current_user, notification_id)
    if notification is None or not MarkReadForm().validate_on_submit():
        return render_template("errors/404.html"), 404
    with unit_of_work():
        mark_read(notification)
    return redirect(url_of(notification) or url_for(".index"))


@bp.post("/<int:notification_id>/read")
@any_user
def read_one(notification_id: int):
    notification = own_notification(current_user, notification_id)
    if notification is None or not MarkReadForm().validate_on_submit():
        return render_template("errors/404.html"), 404
    with unit_of_work():
        mark_read(notification)
    return redirect(request.referrer or url_for(".index"))


@bp.post("/read-all")
@any_user
def read_all():
    if MarkReadForm().validate_on_submit():
        with unit_of_work():
            count = mark_all_read(current_user)
        flash(_("%(count)d notifications marked read.", count=count), "success")
    return redirect(url_for(".index"))


@bp.post("/preferences")
@any_user
def preferences():
    form = PreferencesForm()
    if form.validate_on_submit():
        on, off = _("E-mail notifications are on."), _("E-mail notifications are off.")
        with unit_of_work(success=on if form.email.data else off):
            set_email_preference(current_user, form.email.data)
    return redirect(url_for(".index"))

"""Login (rate limited), logout, password change and the language switch."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from trainer.accounts.services import authenticate, change_password, check_password
from trainer.auth.forms import LanguageForm, LoginForm, PasswordChangeForm
from trainer.extensions import limiter
from trainer.permissions import any_user, public
from trainer.unit_of_work import unit_of_work

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only same-site paths: `next=` must never send a user to another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("dashboard.index")


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.employee_no.data, form.password.data)
        if user is not None:
            locale = session.get("locale")
            session.clear()  # a fresh session on login: no fixation
            if locale:
                session["locale"] = locale
            login_user(user)
            return redirect(safe_next(form.next.data))
        flash(_("Wrong employee number or password."), "danger")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@any_user
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@any_user
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not check_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            success = _("Your password has been changed.")
            with unit_of_work(success=success, field=form.new_password) as work:
                change_password(current_user, current_user, form.new_password.data)
            if not work.failed:
                # keep this session; the token change ends the others
                login_user(current_user._get_current_object())
                return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form)


@bp.post("/language")
@public
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            with unit_of_work():
                current_user.locale = form.locale.data
    return redirect(safe_next(form.next.data))

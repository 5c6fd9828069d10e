"""Login (rate limited), logout, password change and the language switch."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
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

from trainer import clock
from trainer.accounts.models import User
from trainer.accounts.services import authenticate, change_password, check_password
from trainer.auth import services
from trainer.auth.forms import LanguageForm, LoginForm, PasswordChangeForm
from trainer.db import write_intent
from trainer.extensions import db, limiter
from trainer.permissions import Role, any_user, public, require_role
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
        employee_no = form.employee_no.data
        try:
            user = log_in(employee_no, form.password.data)
        except services.AccountLocked as locked:
            flash(
                _(
                    "Too many wrong passwords for this account. Try again after %(time)s.",
                    time=clock.local(locked.until).strftime("%H:%M:%S"),
                ),
                "danger",
            )
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(locked.retry_after_seconds)}
        if user is not None:
            return redirect(safe_next(form.next.data))
        flash(_("Wrong employee number or password."), "danger")
    return render_template("auth/login.html", form=form)


def log_in(employee_no: str, password: str):
    """Check the password unless the account is locked; on success start a fresh session
    (no fixation) with its server-side record. Raises AccountLocked."""
    # The lookups and the KDF (≈ 0.25 s of CPU, bounded by passwords.FairSlots) run in a
    # transaction of their own that does not take SQLite's write lock: otherwise every login
    # would hold that lock through its KDF, and a shift-start storm would queue all writes.
    with write_intent(False), unit_of_work():
        until = services.locked_until(employee_no)
        user = None if until is not None else authenticate(employee_no, password)
    if until is not None:
        raise services.AccountLocked(until)
    if user is None:
        with unit_of_work():  # the failed attempt counts even though the login is refused
            until = services.record_failure(employee_no)
        if until is not None:
            raise services.AccountLocked(until)
        return None
    with unit_of_work():
        services.clear_failures(employee_no)
        token = services.start_session(
            user, address=request.remote_addr, user_agent=request.headers.get("User-Agent")
        )
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session["sid"] = token
    session["seen"] = int(clock.now().timestamp())
    login_user(user)
    return user


@bp.post("/logout")
@any_user
def logout():
    with unit_of_work():
        services.end_session(session.get("sid"))
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
                services.end_sessions_of(current_user, current_user, keep_token=session.get("sid"))
            if not work.failed:
                # keep this session; the token change and the ended rows end the others
                login_user(current_user._get_current_object())
                return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form)


@bp.get("/account/sessions")
@any_user
def sessions():
    """The user's own signed-in browsers, each of which they may end (ASVS V3)."""
    rows = services.sessions_of(current_user, session.get("sid"))
    return render_template("auth/sessions.html", sessions=rows, form=LanguageForm(formdata=None))


@bp.post("/account/sessions/<int:session_id>/end")
@any_user
def end_session(session_id: int):
    with unit_of_work():
        row = services.end_own_session(current_user, session_id)
    if row is None:
        abort(404)
    if row.token_hash == services.token_hash(session.get("sid") or ""):
        logout_user()
        session.clear()
        return redirect(url_for("auth.login"))
    flash(_("The session has been ended."), "success")
    return redirect(url_for("auth.sessions"))


@bp.post("/account/sessions/end-others")
@any_user
def end_other_sessions():
    user = current_user._get_current_object()
    with unit_of_work(success=_("Every other session has been ended.")):
        services.end_sessions_of(user, user, keep_token=session.get("sid"))
    return redirect(url_for("auth.sessions"))


@bp.post("/admin/users/<int:user_id>/sessions/end")
@require_role(Role.ADMIN)
def end_user_sessions(user_id: int):
    """An administrator signs a user out everywhere (a lost phone, a leaked password)."""
    user = db.get_or_404(User, user_id)
    ended = _("Every session of %(name)s has been ended.", name=user.name)
    with unit_of_work(success=ended):
        services.end_sessions_of(current_user._get_current_object(), user)
    return redirect(url_for("accounts.edit_user", user_id=user.id))


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

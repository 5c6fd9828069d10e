"""Monthly standings, awarding 服务之星 / 示范窗口, and the honour roll everyone can see."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer import clock
from trainer.accounts.models import Hall, User
from trainer.extensions import db
from trainer.internship.oversight import mentee_ids, sees_everyone
from trainer.permissions import Role, any_user, require_role
from trainer.recognition.forms import AwardForm, RevokeAwardForm
from trainer.recognition.models import Award, AwardKind
from trainer.recognition.queries import (
    SHOWN,
    WINDOW_MONTHS,
    StandingsWindow,
    people,
    standings_in,
)
from trainer.recognition.services import awards_in, find_award, give_award, revoke_award
from trainer.recognition.standings import month_bounds
from trainer.reports import charts
from trainer.training.services import cohorts_for
from trainer.unit_of_work import unit_of_work

bp = Blueprint("recognition", __name__, url_prefix="/recognition")

RECENT_COHORTS = 10  # cohorts offered as a window; older ones are reachable by ?cohort=ID


def parse_month(text: str | None) -> date:
    """'YYYY-MM' → the first of that month; anything else → this month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return month_bounds(clock.today())[0]


def standings_window(args) -> StandingsWindow:
    """?month=YYYY-MM (the period's last month), ?months=N (one of WINDOW_MONTHS, else 1) and
    ?cohort=ID (that cohort's trainees, else everyone enrolled)."""
    months = args.get("months", type=int)
    cohort = args.get("cohort", type=int)
    return StandingsWindow(
        parse_month(args.get("month")),
        months if months in WINDOW_MONTHS else 1,
        cohort if cohort and cohort > 0 else None,
    )


def award_form(month: date, standings, by_hall, users, halls) -> AwardForm:
    form = AwardForm(month=month.strftime("%Y-%m"))
    form.kind.choices = [(k.value, k.label) for k in AwardKind]
    form.winner.choices = [
        *[
            (f"user:{s.user_id}", f"{AwardKind.STAR_CLERK.label} · {users[s.user_id].name}")
            for s in standings[:10]
        ],
        *[
            (f"hall:{h.hall_id}", f"{AwardKind.MODEL_WINDOW.label} · {halls[h.hall_id].name}")
            for h in by_hall[:10]
        ],
    ]
    return form


@bp.get("/")
@require_role(Role.MENTOR, Role.TRAINER, Role.ADMIN)
def standings():
    window = standings_window(request.args)
    month = window.month
    rows, by_hall, users, halls = standings_in(window)
    if not sees_everyone(current_user):
        # A mentor ranks own mentees only: other halls' trainees are not theirs to see.
        mine = mentee_ids(current_user)
        rows = [row for row in rows if row.user_id in mine]
        users.update(people(r.user_id for r in rows[:SHOWN] if r.user_id not in users))
    ranked = len(rows)
    rows = rows[:SHOWN]
    chart = charts.bar_chart(
        "chart-hall-standings",
        _("Halls this month"),
        _("Mean month score of the trainees working in each hall."),
        [(halls[h.hall_id].name, h.score) for h in by_hall[:10]],
        (_("Hall"), _("Score")),
        maximum=100,
    )
    first = month_bounds(month)[0]
    earlier = month_bounds(date.fromordinal(first.toordinal() - 1))[0]
    later = month_bounds(date.fromordinal(month_bounds(month)[1].toordinal()))[0]
    return render_template(
        "recognition/standings.html",
        month=month,
        rows=rows,
        ranked=ranked,
        by_hall=by_hall,
        users=users,
        halls=halls,
        chart=chart,
        awards=awards_in(month),
        window=window,
        window_months=WINDOW_MONTHS,
        window_cohorts=cohorts_for(current_user, limit=RECENT_COHORTS),
        earlier=earlier,
        later=later if later <= clock.today() else None,
        form=award_form(month, rows, by_hall, users, halls),
        revoke_form=RevokeAwardForm(),
    )


@bp.post("/awards")
@require_role(Role.TRAINER)
def give():
    month = parse_month(request.form.get("month"))
    form = AwardForm()
    form.kind.choices = [(k.value, k.label) for k in AwardKind]
    form.winner.choices = [(request.form.get("winner", ""), "")]
    if form.validate_on_submit():
        kind = AwardKind(form.kind.data)
        target, _sep, raw_id = form.winner.data.partition(":")
        winner_id = int(raw_id) if raw_id.isdigit() else 0
        user = db.session.get(User, winner_id) if target == "user" else None
        hall = db.session.get(Hall, winner_id) if target == "hall" else None
        if (user or hall) and find_award(kind, month, user=user, hall=hall):
            # A second award would change nothing: say so instead of "given".
            flash(_("This winner already has this award for the month."), "warning")
        else:
            with unit_of_work(success=_("Award given.")):
                give_award(current_user, kind, month, form.citation.data, user=user, hall=hall)
    else:
        flash(_("Citation: say what the award is for."), "danger")
    return redirect(url_for(".standings", month=month.strftime("%Y-%m")))


@bp.post("/awards/<int:award_id>/revoke")
@require_role(Role.TRAINER)
def revoke(award_id: int):
    award = db.get_or_404(Award, award_id)
    form = RevokeAwardForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Award withdrawn.")):
            revoke_award(current_user, award, form.reason.data)
    else:
        flash(_("Reason: say why the award is withdrawn."), "danger")
    return redirect(url_for(".standings", month=award.month.strftime("%Y-%m")))


@bp.get("/honours")
@any_user
def honours():
    """The honour roll: every standing award, newest month first (recognition is public)."""
    awards = (
        db.session.scalars(
            select(Award)
            .where(Award.revoked_at.is_(None))
            .order_by(Award.month.desc(), Award.kind, Award.id)
            .limit(200)
        )
        .unique()
        .all()
    )
    return render_template("recognition/honours.html", awards=awards)

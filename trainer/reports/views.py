"""Report pages: cohort dashboard, item analysis, a trainee's results and weak areas, exports."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.coaching.services import records_for_trainee
from trainer.extensions import db
from trainer.internship.oversight import may_coach, sees_everyone, visible_trainee
from trainer.permissions import Role, require_role
from trainer.quizzes.models import Quiz
from trainer.reports import charts
from trainer.reports.exports import DATASETS
from trainer.reports.item_analysis import ordered_items
from trainer.reports.queries import (
    TraineeFilters,
    cohort_dashboard,
    quiz_overview,
    trainee_attempts,
    trainee_drills,
    trainee_weak_areas,
    visible_trainees,
)
from trainer.reports.quiz_facts import AttemptWindow, cached_analysis
from trainer.training.models import Cohort
from trainer.training.services import cohorts_for, current_enrolment
from trainer.training.stages import PATH

bp = Blueprint("reports", __name__, url_prefix="/reports")

PER_PAGE = 50
RECENT_COHORTS = 10  # the rest are one click away on the cohorts page


@bp.get("/")
@require_role(Role.MENTOR, Role.TRAINER, Role.ADMIN)
def index():
    cohorts = cohorts_for(current_user, limit=RECENT_COHORTS) if sees_everyone(current_user) else []
    filters = TraineeFilters.from_args(request.args)
    return render_template(
        "reports/index.html",
        cohorts=cohorts,
        filters=filters,
        stages=PATH,
        page=db.paginate(
            visible_trainees(current_user, filters), per_page=PER_PAGE, error_out=False
        ),
        quizzes=quiz_overview() if sees_everyone(current_user) else [],
        datasets={name: DATASETS[name].title for name in sorted(DATASETS)},
    )


@bp.get("/cohorts/<int:cohort_id>")
@require_role(Role.TRAINER, Role.ADMIN)
def cohort(cohort_id: int):
    dashboard = cohort_dashboard(db.get_or_404(Cohort, cohort_id))
    return render_template("reports/cohort.html", d=dashboard, charts=cohort_charts(dashboard))


def cohort_charts(d) -> dict:
    """The cohort dashboard's charts; labels are translated here, numbers come from `d`."""
    funnel = charts.funnel_chart(
        "chart-funnel",
        _("Where the trainees are on the path"),
        _("How many of the cohort's trainees have reached each stage."),
        [(stage.label, count) for stage, count in d.funnel],
        (_("Stage"), _("Trainees")),
    )
    histograms = [
        charts.histogram(
            f"chart-scores-{exam.quiz.id}",
            _("Scores: %(quiz)s", quiz=exam.quiz.title),
            _("Number of graded attempts per score band, with the pass mark."),
            exam.scores,
            (_("Score band (%)"), _("Attempts")),
            reference=exam.quiz.pass_percent,
            reference_label=_("Pass mark"),
        )
        for exam in d.exams
    ]
    pass_rates = charts.bar_chart(
        "chart-pass-rates",
        _("Pass rates"),
        _("Share of trainees who sat each exam and passed it."),
        [(exam.quiz.title, round(exam.pass_rate, 1)) for exam in d.exams],
        (_("Exam"), _("Pass rate")),
        unit="%",
        maximum=100,
    )
    placed = [r for r in d.rows if r.progress is not None]
    internship = charts.bar_chart(
        "chart-internship",
        _("Internship progress"),
        _("Share of the internship done: days interned and required tasks signed off."),
        [(r.user.name, r.progress.percent) for r in placed],
        (_("Trainee"), _("Progress")),
        unit="%",
        maximum=100,
    )
    labels = [w.strftime("%m-%d") for w, _q, _d in d.trend]
    quiz_trend = charts.line_chart(
        "chart-trend-quiz",
        _("Weekly mean quiz score"),
        _("Mean percent of the cohort's graded quiz attempts, per week."),
        list(zip(labels, [q for _w, q, _d in d.trend], strict=True)),
        (_("Week of"), _("Mean score")),
        unit="%",
        maximum=100,
    )
    drill_trend = charts.line_chart(
        "chart-trend-drill",
        _("Weekly mean drill score"),
        _("Mean percent of the cohort's finished drills, per week."),
        list(zip(labels, [r for _w, _q, r in d.trend], strict=True)),
        (_("Week of"), _("Mean score")),
        unit="%",
        maximum=100,
    )
    return {
        "funnel": funnel,
        "histograms": histograms,
        "pass_rates": pass_rates,
        "internship": internship,
        "quiz_trend": quiz_trend,
        "drill_trend": drill_trend,
    }


@bp.get("/quizzes/<int:quiz_id>/items")
@require_role(Role.TRAINER, Role.ADMIN)
def items(quiz_id: int):
    quiz = db.get_or_404(Quiz, quiz_id)
    first_only = request.args.get("attempts") == "first"
    window = attempt_window(request.args)
    report = cached_analysis(quiz, first_only=first_only, window=window)
    facility = charts.bar_chart(
        "chart-facility",
        _("Facility index per question"),
        _("Mean mark as a share of the question's marks; higher is easier."),
        [
            (q.label, round(100 * (i.facility or 0), 1))
            for q, i in zip(report.questions, report.analysis.items, strict=True)
        ],
        (_("Question"), _("Facility")),
        unit="%",
        maximum=100,
    )
    return render_template(
        "reports/items.html",
        quiz=quiz,
        report=report,
        facility=facility,
        rows=list(zip(report.questions, report.analysis.items, strict=True)),
        table_rows=ordered_items(
            list(zip(report.questions, report.analysis.items, strict=True)),
            request.args.get("order", "position"),
            needs_checking=request.args.get("flagged") == "1",
        ),
        order=request.args.get("order", "position"),
        flagged_only=request.args.get("flagged") == "1",
        first_only=first_only,
        window=window,
        window_months=WINDOW_MONTHS,
        window_cohorts=recent_cohorts(quiz.programme_id),
    )


WINDOW_MONTHS = (3, 6, 12, 24)
DEFAULT_MONTHS = 12


def attempt_window(args) -> AttemptWindow:
    """?window=cohort:ID (that cohort's trainees), months:N (the last N months) or all; by
    default the last 12 months, so the page never reads years of responses unasked."""
    kind, _sep, value = args.get("window", "").partition(":")
    if kind == "cohort" and value.isdigit():
        return AttemptWindow(cohort_id=int(value))
    if kind == "all":
        return AttemptWindow()
    if kind == "months" and value.isdigit() and int(value) in WINDOW_MONTHS:
        return AttemptWindow(months=int(value))
    return AttemptWindow(months=DEFAULT_MONTHS)


def recent_cohorts(programme_id: int, limit: int = 24) -> list[Cohort]:
    return list(
        db.session.scalars(
            select(Cohort)
            .where(Cohort.programme_id == programme_id)
            .order_by(Cohort.start_date.desc(), Cohort.id.desc())
            .limit(limit)
        ).unique()
    )


@bp.get("/me")
@require_role(Role.TRAINEE)
def my_weak_areas():
    return redirect(url_for(".trainee", trainee_id=current_user.id))


@bp.get("/trainees/<int:trainee_id>")
@require_role(Role.TRAINEE, Role.MENTOR, Role.TRAINER, Role.ADMIN)
def trainee(trainee_id: int):
    person = visible_trainee(current_user, trainee_id)
    areas = trainee_weak_areas(person)
    topic_chart = charts.bar_chart(
        "chart-topics",
        _("Score by topic"),
        _("Share of points earned per topic across quizzes and drills, weakest first."),
        [(a.label, a.percent) for a in areas.topics],
        (_("Topic"), _("Score")),
        unit="%",
        maximum=100,
    )
    return render_template(
        "reports/trainee.html",
        trainee=person,
        enrolment=current_enrolment(person),
        areas=areas,
        topic_chart=topic_chart,
        attempts=trainee_attempts(person),
        drills=trainee_drills(person),
        coaching=records_for_trainee(person.id),
        can_coach=may_coach(current_user, person.id),
    )

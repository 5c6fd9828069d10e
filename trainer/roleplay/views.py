"""Drill pages for trainees, and the review queue and scenario editor for trainers."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from trainer.downloads import content_disposition
from trainer.extensions import db
from trainer.permissions import Role, require_role
from trainer.roleplay import library_refs, queries
from trainer.roleplay.examples import (
    add_example,
    approve_override_as_example,
    examples_of,
    remove_example,
)
from trainer.roleplay.forms import (
    ChoiceForm,
    ExampleForm,
    ReplyForm,
    ReviewForm,
    ScenarioSourceForm,
    StartDrillForm,
)
from trainer.roleplay.graph import scenario_svg
from trainer.roleplay.models import DrillStep, ElementExample
from trainer.roleplay.requirements import required_scenarios
from trainer.roleplay.scenario_format import ScenarioFileError, parse_scenario
from trainer.roleplay.scenario_store import (
    check_edited_source,
    current_version,
    save_from_editor,
    scenario_by_key,
    spec_of,
)
from trainer.roleplay.services import (
    choose,
    override_elements,
    reply,
    review_queue,
    save_draft,
    scene_outcome,
    sessions_visible_to,
    start_drill,
)
from trainer.roleplay.transcript import transcript
from trainer.spreadsheets import csv_stream
from trainer.training.services import current_enrolment
from trainer.unit_of_work import unit_of_work

bp = Blueprint("roleplay", __name__)
PLAYERS = (Role.TRAINEE, Role.TRAINER)


def model_line(ref: str) -> str:
    step = library_refs.step_script(ref)
    return step.script if step else ""


@bp.app_template_filter("step_title")
def step_title(ref: str) -> str:
    """`bill_payment.verify_identity` → 缴费 · 核实身份 (the reference as a reader knows it)."""
    step = library_refs.step_script(ref)
    return f"{step.procedure_title} · {step.title}" if step else ref


# ---- trainee: drills -----------------------------------------------------------------------


@bp.get("/drills")
@require_role(Role.TRAINEE)
def drills():
    enrolment = current_enrolment(current_user)
    required = required_scenarios(enrolment.programme) if enrolment else []
    return render_template(
        "roleplay/drills.html",
        rows=queries.drill_overview(current_user),
        required_ids={s.id for s in required},
        start_form=StartDrillForm(),
        procedures=library_refs.procedure_titles(),
    )


@bp.post("/drills/<key>/start")
@require_role(*PLAYERS)
def start(key: str):
    scenario = scenario_by_key(key)
    if scenario is None or not scenario.active:
        abort(404)
    form = StartDrillForm()
    if not form.validate_on_submit():
        abort(400)
    preview = not current_user.has_role(Role.TRAINEE)
    with unit_of_work(category="warning") as work:
        session = start_drill(current_user, scenario, form.mode.data, preview=preview)
    if work.failed:
        return redirect(url_for(".drills"))
    return redirect(url_for(".play", session_id=session.id))


def _own_session(session_id: int, *, playing: bool = False):
    session = sessions_visible_to(current_user, session_id)
    if session is None or (playing and session.user_id != current_user.id):
        abort(404)
    return session


@bp.get("/drills/sessions/<int:session_id>")
@require_role(*PLAYERS)
def play(session_id: int):
    session = _own_session(session_id)
    spec = spec_of(session.version)
    finished = session.state == "finished"
    with_feedback = finished or session.mode == "practice"
    return render_template(
        "roleplay/play.html",
        session=session,
        spec=spec,
        entries=transcript(spec, session.steps, with_feedback, model_line),
        turn=spec.turns.get(session.current_turn) if not finished else None,
        ending=spec.endings.get(session.ending) if session.ending else None,
        scene=scene_outcome(session, spec) if finished else None,
        choice_form=ChoiceForm(),
        reply_form=ReplyForm(reply=session.draft or ""),
        with_feedback=with_feedback,
        is_player=session.user_id == current_user.id,
    )


def _move(session_id: int, form, make_move):
    session = _own_session(session_id, playing=True)
    if not form.validate_on_submit():
        flash(_("Type your reply to the customer."), "warning")
        return redirect(url_for(".play", session_id=session.id))
    try:
        with unit_of_work(category="warning") as work:
            step = make_move(session, form)
    except IntegrityError:
        # the same move sent twice at once (two tabs; rolled back): the first one stands
        return redirect(url_for(".play", session_id=session_id))
    if work.failed:
        return redirect(url_for(".play", session_id=session.id))
    return redirect(url_for(".play", session_id=session.id, _anchor=f"step-{step.position}"))


@bp.post("/drills/sessions/<int:session_id>/choose")
@require_role(*PLAYERS)
def choose_reply(session_id: int):
    return _move(
        session_id,
        ChoiceForm(),
        lambda s, f: choose(s, f.turn.data, f.position.data, f.choice.data),
    )


@bp.post("/drills/sessions/<int:session_id>/reply")
@require_role(*PLAYERS)
def type_reply(session_id: int):
    return _move(
        session_id, ReplyForm(), lambda s, f: reply(s, f.turn.data, f.position.data, f.reply.data)
    )


@bp.post("/drills/sessions/<int:session_id>/draft")
@require_role(*PLAYERS)
def draft(session_id: int):
    """Autosave of the reply being typed (fetch with the X-CSRFToken header)."""
    session = _own_session(session_id, playing=True)
    with unit_of_work(json=True) as work:
        save_draft(session, str((request.get_json(silent=True) or {}).get("text", "")))
    if work.failed:
        return work.response
    return jsonify(saved=True)


# ---- trainer: review queue and sessions ----------------------------------------------------


@bp.get("/roleplay/review")
@require_role(Role.TRAINER)
def review():
    return render_template("roleplay/review_queue.html", steps=review_queue())


@bp.route("/roleplay/review/<int:step_id>", methods=["GET", "POST"])
@require_role(Role.TRAINER)
def review_step(step_id: int):
    step = db.get_or_404(DrillStep, step_id)
    if step.kind != "reply":
        abort(404)
    form = ReviewForm()
    if request.method == "GET" and step.overrides:
        form.comment.data = step.overrides[-1].comment
    if form.validate_on_submit():
        verdicts = {
            e["key"]: {"found": True, "missing": False}.get(request.form.get(f"verdict-{e['key']}"))
            for e in step.findings["elements"]
        }
        teach = [
            e["key"] for e in step.findings["elements"] if request.form.get(f"example-{e['key']}")
        ]
        with unit_of_work(field=form.comment) as work:
            override_elements(current_user, step, verdicts, form.comment.data)
            for key in teach:
                approve_override_as_example(current_user, step, key, spec_of(step.session.version))
        if not work.failed:
            flash(
                _(
                    "Review saved: %(points)d of %(max)d points.",
                    points=step.points,
                    max=step.max_points,
                ),
                "success",
            )
            return redirect(url_for(".review"))
    session = step.session
    spec = spec_of(session.version)
    entry = transcript(spec, [step], True, model_line)[0]
    return render_template(
        "roleplay/review_step.html", step=step, session=session, spec=spec, entry=entry, form=form
    )


@bp.get("/roleplay/sessions")
@require_role(Role.TRAINER)
def sessions():
    return render_template("roleplay/sessions.html", sessions=queries.recent_sessions())


@bp.get("/roleplay/moves.csv")
@require_role(Role.TRAINER)
def moves_csv():
    """Every move of every finished drill (branch, points, findings, overrides) as CSV."""
    raw = request.args.get("raw") in ("1", "true")
    header, rows = queries.move_export(raw)
    return Response(
        stream_with_context(csv_stream(header, rows)),
        mimetype="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition(f"drill-moves{'-raw' if raw else ''}.csv")
        },
    )


# ---- trainer: scenarios and the editor -----------------------------------------------------


@bp.get("/roleplay/scenarios")
@require_role(Role.TRAINER)
def scenarios():
    return render_template(
        "roleplay/scenarios.html",
        rows=queries.scenario_overview(),
        start_form=StartDrillForm(),
        procedures=library_refs.procedure_titles(),
    )


@bp.route("/roleplay/scenarios/new", methods=["GET", "POST"])
@require_role(Role.TRAINER)
def new_scenario():
    return _edit(None)


@bp.route("/roleplay/scenarios/<key>/edit", methods=["GET", "POST"])
@require_role(Role.TRAINER)
def edit_scenario(key: str):
    scenario = scenario_by_key(key)
    if scenario is None:
        abort(404)
    return _edit(scenario)


def _edit(scenario):
    source = current_version(scenario).source if scenario else NEW_SCENARIO_TEMPLATE
    form = ScenarioSourceForm(source=source)
    text = (form.source.data or "").replace("\r\n", "\n")
    problems = []
    if form.validate_on_submit() and form.action.data == "save":
        with unit_of_work(show=False) as work:  # the problems are listed beside the source
            spec, outcome = save_from_editor(current_user, scenario, text)
        if not work.failed:
            flash(_("Scenario saved.") if outcome != "unchanged" else _("No changes."), "success")
            return redirect(url_for(".edit_scenario", key=spec.key))
        problems = getattr(work.error, "problems", [work.error])
    else:
        try:
            check_edited_source(scenario, text)
        except ScenarioFileError as exc:
            problems = exc.problems
    return render_template(
        "roleplay/editor.html",
        form=form,
        scenario=scenario,
        problems=problems,
        graph=_graph_preview(text),
        start_form=StartDrillForm(),
        saved_spec=spec_of(current_version(scenario)) if scenario else None,
        examples=examples_of(scenario) if scenario else [],
        example_form=ExampleForm(),
    )


@bp.post("/roleplay/scenarios/<key>/examples")
@require_role(Role.TRAINER)
def add_element_example(key: str):
    scenario = scenario_by_key(key)
    if scenario is None:
        abort(404)
    form = ExampleForm()
    if form.validate_on_submit():
        with unit_of_work(success=_("Example added.")):
            add_example(
                current_user,
                scenario,
                spec_of(current_version(scenario)),
                form.turn.data,
                form.element.data,
                form.text.data,
                form.found.data == "yes",
            )
    else:
        flash(_("Give the turn, the element and the example reply."), "danger")
    return redirect(url_for(".edit_scenario", key=key))


@bp.post("/roleplay/scenarios/<key>/examples/<int:example_id>/delete")
@require_role(Role.TRAINER)
def delete_example(key: str, example_id: int):
    example = db.get_or_404(ElementExample, example_id)
    if example.scenario.key != key or not ExampleForm().validate_on_submit():
        abort(400)
    with unit_of_work(success=_("Example removed.")):
        remove_example(current_user, example)
    return redirect(url_for(".edit_scenario", key=key))


def _graph_preview(text: str):
    """The graph of whatever parses, even when the validator still has complaints."""
    labels = {
        "choice": _("choice"),
        "reply": _("typed reply"),
        "good": _("good end"),
        "bad": _("bad end"),
    }
    try:
        return scenario_svg(parse_scenario(text, "preview"), labels)
    except ScenarioFileError:
        return None


NEW_SCENARIO_TEMPLATE = """\
key: new_scenario
title: 新场景
procedure: complaint_handling
channel: counter
persona:
  name: 顾客
  description: 描述顾客的年龄、情绪和来意。
situation: 描述场景发生的时间、地点和起因。
start: t1
turns:
  t1:
    kind: choice
    customer: 顾客说的话。
    choices:
      - text: 一个好的回答
        score: 10
        feedback: 为什么好。
        ending: good
      - text: 一个不好的回答
        score: 0
        feedback: 为什么不好。
        ending: bad
endings:
  good: {outcome: good, text: 顾客满意离开。}
  bad: {outcome: bad, text: 顾客不满。}
"""

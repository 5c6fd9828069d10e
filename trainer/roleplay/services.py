"""Role-play rules with the database: playing drills and reviewing replies.

Services flush and audit; the caller (view or CLI) commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import selectinload

from trainer import clock
from trainer.accounts.models import User
from trainer.audit.services import record
from trainer.errors import DomainError
from trainer.events import announce
from trainer.extensions import db
from trainer.permissions import Role
from trainer.phrases.engine import PhraseMatcher, RequiredElement
from trainer.phrases.services import library_matcher, scoring_matcher
from trainer.roleplay.examples import learned_examples
from trainer.roleplay.models import DrillSession, DrillStep, ElementOverride, Scenario
from trainer.roleplay.scenario_model import Scenario as ScenarioSpec
from trainer.roleplay.scenario_model import Turn
from trainer.roleplay.scenario_store import (  # noqa: F401  (re-exported for callers)
    active_scenarios,
    check_directory,
    check_source,
    current_version,
    find_spec,
    load_scenarios,
    repository_spec,
    save_version,
    scenario_by_key,
    spec_of,
)
from trainer.roleplay.scoring import (
    Move,
    SceneResult,
    choice_points,
    contract_view,
    reply_points,
    required_elements,
    scene_result,
    score_reply,
)
from trainer.roleplay.validation import next_of
from trainer.training.path import trainee_path
from trainer.training.services import current_enrolment

# Events announced to higher features (payload: ids).
REPLY_REVIEWED = "roleplay.reply_reviewed"  # step_id, actor_id
REPLIES_QUEUED = "roleplay.replies_queued"  # session_id: a finished drill left replies to review


UNKNOWN_SCENARIO = _l("unknown scenario %(key)r")


class UnknownScenario(DomainError, LookupError):
    """No scenario has this key."""


class DrillError(DomainError, ValueError):
    """A move that does not fit the session's state; the message is safe to show."""


# ---- scenarios as the phrase checker sees them ----------------------------------------------


def required_elements_for_scenario(key: str) -> list[RequiredElement]:
    """The required elements of every free-text turn of scenario `key` (for phrase checks).

    Uses the loaded scenario; before `trainer load-library`, the repository file.
    Raises LookupError for an unknown key.
    """
    spec = find_spec(key)
    if spec is None:
        raise UnknownScenario(UNKNOWN_SCENARIO, key=key)
    elements: dict[str, RequiredElement] = {}
    for turn in spec.reply_turns():
        for element in required_elements(turn.rubric):
            elements.setdefault(element.key, element)
    return list(elements.values())


def score_text(scenario_key: str, turn_key: str, text: str) -> dict:
    """The `trainer scenarios score` object of `text` as the reply to one turn.

    Raises LookupError naming the unknown scenario or turn, or a turn that is not typed.
    """
    learned = {}
    try:
        spec, matcher = find_spec(scenario_key), scoring_matcher()
        stored = scenario_by_key(scenario_key)
        if stored is not None:
            learned = learned_examples(stored.id, turn_key)
    except DBAPIError:
        # A database without the schema yet (before `trainer db upgrade`): score with the
        # repository's scenario and phrase files, as `validate` does.
        db.session.rollback()
        spec, matcher = repository_spec(scenario_key), library_matcher()
    if spec is None:
        raise UnknownScenario(UNKNOWN_SCENARIO, key=scenario_key)
    turn = spec.turns.get(turn_key)
    if turn is None or turn.kind != "reply":
        typed = ", ".join(t.key for t in spec.reply_turns())
        raise LookupError(f"{scenario_key} has no typed turn {turn_key!r} (typed turns: {typed})")
    findings = score_reply(text, turn.rubric, matcher, learned=learned)
    return contract_view(findings, spec.pass_mark)


# ---- drills --------------------------------------------------------------------------------


def start_drill(
    user: User, scenario: Scenario, mode: str = "practice", preview: bool = False
) -> DrillSession:
    if mode not in ("practice", "exam"):
        raise DrillError(_("Unknown mode %(mode)s.", mode=mode))
    version = current_version(scenario)
    spec = spec_of(version)
    session = DrillSession(
        user=user, version=version, mode=mode, preview=preview, current_turn=spec.start
    )
    db.session.add(session)
    db.session.flush()
    return session


def _turn_for_move(session: DrillSession, turn_key: str, position: int):
    """The session's current turn, or the step already made at `position` (a resubmit)."""
    existing = next((s for s in session.steps if s.position == position), None)
    if existing is not None:
        if existing.turn_key != turn_key:
            raise DrillError(_("This move was already made differently."))
        return None, existing
    if session.state != "playing":
        raise DrillError(_("This drill is already finished."))
    if turn_key != session.current_turn or position != len(session.steps):
        raise DrillError(_("This is not the current turn of the drill."))
    spec = spec_of(session.version)
    return spec, None


def choose(session: DrillSession, turn_key: str, position: int, choice_index: int) -> DrillStep:
    """Record the trainee's choice at the current turn; resubmitting the same move is a no-op."""
    spec, existing = _turn_for_move(session, turn_key, position)
    if existing is not None:
        return existing
    turn = spec.turns[turn_key]
    if turn.kind != "choice" or not 0 <= choice_index < len(turn.choices):
        raise DrillError(_("Choose one of the replies offered."))
    points, best = choice_points(turn, choice_index)
    step = DrillStep(
        position=position,
        turn_key=turn_key,
        kind="choice",
        choice_index=choice_index,
        auto_points=points,
        points=points,
        max_points=best,
    )
    session.steps.append(step)
    _move_on(session, spec, turn, choice_index)
    return step


def reply(
    session: DrillSession,
    turn_key: str,
    position: int,
    text: str,
    matcher: PhraseMatcher | None = None,
) -> DrillStep:
    """Score the trainee's typed reply against the turn's rubric and the forbidden phrases."""
    spec, existing = _turn_for_move(session, turn_key, position)
    if existing is not None:
        return existing
    turn = spec.turns[turn_key]
    text = (text or "").strip()
    if turn.kind != "reply":
        raise DrillError(_("This turn asks you to choose a reply."))
    if not text:
        raise DrillError(_("Type your reply to the customer."))
    if matcher is None:
        matcher = scoring_matcher()
    learned = learned_examples(session.version.scenario_id, turn_key)
    findings = score_reply(text, turn.rubric, matcher, learned=learned)
    points = reply_points(findings)
    step = DrillStep(
        position=position,
        turn_key=turn_key,
        kind="reply",
        reply_text=text,
        findings=findings,
        auto_points=points.earned,
        points=points.earned,
        max_points=points.max,
    )
    session.steps.append(step)
    session.draft = None
    _move_on(session, spec, turn, None)
    return step


def _move_on(session: DrillSession, spec: ScenarioSpec, turn: Turn, choice_index) -> None:
    nxt, ending = next_of(turn, choice_index)
    if ending:
        session.current_turn = None
        session.ending = ending
        session.state = "finished"
        session.finished_at = clock.now()
    else:
        session.current_turn = nxt
    db.session.flush()
    _update_result(session, spec, ending_now=bool(ending))


def forbidden_veto(user: User) -> bool:
    """Whether the trainee's programme fails a reply and its scene on any forbidden phrase."""
    enrolment = current_enrolment(user)
    return enrolment.programme.forbidden_veto if enrolment is not None else True


def scene_outcome(session: DrillSession, spec: ScenarioSpec) -> SceneResult:
    """The scene's total, pass and path (clean / risky / failed) from its moves."""
    moves = [
        Move(
            s.turn_key,
            s.points,
            s.max_points,
            len(s.findings["forbidden"]) if s.kind == "reply" and s.findings else 0,
        )
        for s in session.steps
    ]
    return scene_result(spec, moves, session.ending, veto=forbidden_veto(session.user))


def _update_result(session: DrillSession, spec: ScenarioSpec, *, ending_now: bool = False) -> None:
    result = scene_outcome(session, spec)
    session.earned, session.max_points, session.percent = result.earned, result.max, result.percent
    session.outcome, session.passed = result.outcome, result.passed
    db.session.flush()
    if session.state == "finished" and not session.preview:
        _catch_up_path(session.user)
        if ending_now and any(s.kind == "reply" and s.reviewed_at is None for s in session.steps):
            announce(REPLIES_QUEUED, session_id=session.id)


def _catch_up_path(user: User) -> None:
    enrolment = current_enrolment(user)
    if enrolment is not None:
        trainee_path.catch_up(enrolment, user)


def save_draft(session: DrillSession, text: str) -> None:
    if session.state == "playing":
        session.draft = text[:5000]
        db.session.flush()


def sessions_visible_to(user: User, session_id: int) -> DrillSession | None:
    """The session if `user` played it or is a trainer (who reviews everyone's drills)."""
    session = db.session.get(DrillSession, session_id)
    if session is None:
        return None
    if session.user_id == user.id or user.has_role(Role.TRAINER):
        return session
    return None


# ---- review --------------------------------------------------------------------------------


def override_elements(
    actor: User, step: DrillStep, verdicts: dict[str, bool | None], comment: str
) -> DrillStep:
    """Apply a trainer's per-element verdicts (None = as the machine found) and re-score.

    A changed verdict needs a comment. The step is marked reviewed; the change is audited.
    """
    if step.kind != "reply" or not step.findings:
        raise DrillError(_("Only typed replies are reviewed."))
    comment = (comment or "").strip()
    machine = {e["key"]: e["found"] for e in step.findings["elements"]}
    unknown = set(verdicts) - set(machine)
    if unknown:
        raise DrillError(_("Unknown element %(key)s.", key=sorted(unknown)[0]))
    before = {"points": step.points, "overrides": step.override_map()}
    existing = {o.element_key: o for o in step.overrides}
    for key, verdict in verdicts.items():
        current = existing.get(key)
        if verdict is None or verdict == machine[key]:
            if current is not None:
                step.overrides.remove(current)
            continue
        if not comment:
            raise DrillError(_("Say why you changed the score."))
        if current is None:
            step.overrides.append(
                ElementOverride(
                    element_key=key, found=verdict, comment=comment, trainer_id=actor.id
                )
            )
        elif current.found != verdict or current.comment != comment:
            current.found, current.comment, current.trainer_id = verdict, comment, actor.id
            current.created_at = clock.now()
    step.points = reply_points(step.findings, step.override_map()).earned
    step.reviewed_at, step.reviewed_by_id = clock.now(), actor.id
    db.session.flush()
    after = {"points": step.points, "overrides": step.override_map()}
    record(
        actor,
        "roleplay.override" if after != before else "roleplay.review",
        step,
        before=before,
        after=after,
        reason=comment or None,
    )
    session = step.session
    _update_result(session, spec_of(session.version))
    announce(REPLY_REVIEWED, step_id=step.id, actor_id=actor.id)
    return step


def review_queue(limit: int = 200) -> list[DrillStep]:
    """Typed replies of finished, real drills that no trainer has looked at, oldest first."""
    query = (
        select(DrillStep)
        .join(DrillSession)
        .where(
            DrillStep.kind == "reply",
            DrillStep.reviewed_at.is_(None),
            DrillSession.state == "finished",
            DrillSession.preview.is_(False),
        )
        .order_by(DrillStep.created_at, DrillStep.id)
        .limit(limit)
        # sessions (with players and versions joined) in one more query, not one per row
        .options(selectinload(DrillStep.session))
    )
    return list(db.session.scalars(query))

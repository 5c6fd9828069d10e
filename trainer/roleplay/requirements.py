"""Path requirement: the pre-job step needs the programme's required drills passed."""

from flask_babel import gettext as _
from sqlalchemy import select

from trainer.extensions import db
from trainer.roleplay.models import DrillSession, Scenario, ScenarioVersion
from trainer.training.models import Enrolment, Programme


def required_scenarios(programme: Programme) -> list[Scenario]:
    """Active scenarios whose YAML lists this programme's code under required_for."""
    scenarios = db.session.scalars(
        select(Scenario).where(Scenario.active.is_(True)).order_by(Scenario.key)
    )
    return [s for s in scenarios if programme.code in (s.required_for or [])]


def required_drills_passed(enrolment: Enrolment) -> list[str]:
    """One statement (it runs at every exam start, issue 21): the active scenarios, each with
    whether this trainee has passed it; the programme's are picked in Python (required_for
    is a JSON list)."""
    passed = (
        select(DrillSession.id)
        .join(ScenarioVersion, DrillSession.scenario_version_id == ScenarioVersion.id)
        .where(
            ScenarioVersion.scenario_id == Scenario.id,
            DrillSession.user_id == enrolment.user_id,
            DrillSession.passed.is_(True),
            DrillSession.preview.is_(False),
        )
        .exists()
    )
    rows = db.session.execute(
        select(Scenario.title, Scenario.required_for, passed)
        .where(Scenario.active.is_(True))
        .order_by(Scenario.key)
    )
    code = enrolment.programme.code
    return [
        _("Pass the role-play drill “%(title)s”.", title=title)
        for title, required_for, done in rows
        if code in (required_for or []) and not done
    ]

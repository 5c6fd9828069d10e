"""Path requirement: the pre-job step needs the programme's required drills passed."""

from flask_babel import gettext as _
from sqlalchemy import select

from trainer.extensions import db
from trainer.roleplay.models import Scenario
from trainer.roleplay.queries import passed_scenario_ids
from trainer.training.models import Enrolment, Programme


def required_scenarios(programme: Programme) -> list[Scenario]:
    """Active scenarios whose YAML lists this programme's code under required_for."""
    scenarios = db.session.scalars(
        select(Scenario).where(Scenario.active.is_(True)).order_by(Scenario.key)
    )
    return [s for s in scenarios if programme.code in (s.required_for or [])]


def required_drills_passed(enrolment: Enrolment) -> list[str]:
    required = required_scenarios(enrolment.programme)
    if not required:
        return []
    passed = passed_scenario_ids(enrolment.user_id)
    return [
        _("Pass the role-play drill “%(title)s”.", title=s.title)
        for s in required
        if s.id not in passed
    ]

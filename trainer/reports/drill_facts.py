"""Facts for weak areas and exports from role-play drills (read-only, a few queries)."""

from collections.abc import Iterable

from sqlalchemy import select

from trainer.extensions import db
from trainer.reports.weak_areas import ElementFact, PhraseFact, ScoreFact
from trainer.roleplay.models import DrillSession, DrillStep, Scenario, ScenarioVersion
from trainer.roleplay.scenario_format import ScenarioFileError, parse_scenario


def _turn_steps(source: str) -> tuple[str, dict[str, str]]:
    """(procedure, {turn key: "<procedure>.<step>"}) of one scenario version's text."""
    try:
        spec = parse_scenario(source)
    except ScenarioFileError:
        return "", {}
    return spec.procedure, {
        turn.key: turn.rubric.model
        for turn in spec.turns.values()
        if turn.rubric is not None and turn.rubric.model
    }


def finished_steps(user_ids: Iterable[int]):
    """Rows (user id, version id, procedure, source, step) of finished, real drills."""
    return db.session.execute(
        select(
            DrillSession.user_id,
            ScenarioVersion.id,
            Scenario.procedure,
            ScenarioVersion.source,
            DrillStep,
        )
        .join(ScenarioVersion, DrillSession.scenario_version_id == ScenarioVersion.id)
        .join(Scenario, ScenarioVersion.scenario_id == Scenario.id)
        .join(DrillStep, DrillStep.session_id == DrillSession.id)
        .where(
            DrillSession.user_id.in_(list(user_ids)),
            DrillSession.preview.is_(False),
            DrillSession.state == "finished",
        )
        .order_by(DrillSession.id, DrillStep.position)
    ).all()


def drill_facts(user_id: int) -> tuple[list[ScoreFact], list[PhraseFact], list[ElementFact]]:
    scores: list[ScoreFact] = []
    phrases: list[PhraseFact] = []
    elements: list[ElementFact] = []
    parsed: dict[int, dict[str, str]] = {}
    for _, version_id, procedure, source, step in finished_steps([user_id]):
        if version_id not in parsed:
            parsed[version_id] = _turn_steps(source)[1]
        if step.max_points:
            scores.append(ScoreFact("topic", procedure, step.points, step.max_points, "drill"))
            if ref := parsed[version_id].get(step.turn_key):
                scores.append(ScoreFact("step", ref, step.points, step.max_points, "drill"))
        findings = step.findings or {}
        overrides = step.override_map()
        for element in findings.get("elements", []):
            found = overrides.get(element["key"], element["found"])
            elements.append(
                ElementFact(element["key"], element.get("label", element["key"]), bool(found))
            )
        for hit in findings.get("forbidden", []):
            phrases.append(PhraseFact(hit["phrase"], hit.get("alternative", "")))
    return scores, phrases, elements


def findings_export_rows(user_ids: Iterable[int] | None = None):
    """Every reply's findings, one row per forbidden phrase or missed element (for exports)."""
    query = (
        select(DrillSession, ScenarioVersion.number, Scenario.key, Scenario.title, DrillStep)
        .join(ScenarioVersion, DrillSession.scenario_version_id == ScenarioVersion.id)
        .join(Scenario, ScenarioVersion.scenario_id == Scenario.id)
        .join(DrillStep, DrillStep.session_id == DrillSession.id)
        .where(DrillSession.preview.is_(False), DrillStep.kind == "reply")
        .order_by(DrillSession.id, DrillStep.position)
    )
    if user_ids is not None:
        query = query.where(DrillSession.user_id.in_(list(user_ids)))
    for session, version, key, title, step in db.session.execute(query).unique():
        findings = step.findings or {}
        overrides = step.override_map()
        base = {
            "session": session.id,
            "employee_no": session.user.employee_no,
            "name": session.user.name,
            "scenario": key,
            "title": title,
            "version": version,
            "turn": step.turn_key,
            "reply": step.reply_text or "",
            "points": step.points,
            "max_points": step.max_points,
        }
        for hit in findings.get("forbidden", []):
            yield base | {
                "finding": "forbidden",
                "item": hit["phrase"],
                "matched": hit.get("matched", ""),
                "alternative": hit.get("alternative", ""),
            }
        for element in findings.get("elements", []):
            if not overrides.get(element["key"], element["found"]):
                yield base | {
                    "finding": "missing",
                    "item": element.get("label", element["key"]),
                    "matched": "",
                    "alternative": "",
                }

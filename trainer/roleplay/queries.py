"""Read-side helpers for the role-play pages: one or two queries per page, no N+1."""

from collections.abc import Iterator

from flask_babel import lazy_pgettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from trainer.accounts.models import User
from trainer.extensions import db
from trainer.roleplay.models import DrillSession, DrillStep, Scenario, ScenarioVersion
from trainer.roleplay.scenario_store import spec_of


def drill_overview(user: User) -> list[dict]:
    """Each active scenario with the user's attempts, best percent and whether one passed."""
    scenarios = db.session.scalars(
        select(Scenario).where(Scenario.active.is_(True)).order_by(Scenario.procedure, Scenario.key)
    ).all()
    stats = {
        row.scenario_id: row
        for row in db.session.execute(
            select(
                ScenarioVersion.scenario_id,
                func.count(DrillSession.id).label("attempts"),
                func.max(DrillSession.percent).label("best"),
                func.max(DrillSession.id).label("last_id"),
            )
            .join(DrillSession, DrillSession.scenario_version_id == ScenarioVersion.id)
            .where(
                DrillSession.user_id == user.id,
                DrillSession.preview.is_(False),
                DrillSession.state == "finished",
            )
            .group_by(ScenarioVersion.scenario_id)
        )
    }
    passed = passed_scenario_ids(user.id)
    playing = dict(
        db.session.execute(
            select(ScenarioVersion.scenario_id, func.max(DrillSession.id))
            .join(DrillSession, DrillSession.scenario_version_id == ScenarioVersion.id)
            .where(DrillSession.user_id == user.id, DrillSession.state == "playing")
            .group_by(ScenarioVersion.scenario_id)
        ).all()
    )
    return [
        {
            "scenario": s,
            "attempts": stats[s.id].attempts if s.id in stats else 0,
            "best": stats[s.id].best if s.id in stats else None,
            "last_id": stats[s.id].last_id if s.id in stats else None,
            "passed": s.id in passed,
            "playing_id": playing.get(s.id),
        }
        for s in scenarios
    ]


def passed_scenario_ids(user_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(ScenarioVersion.scenario_id)
            .join(DrillSession, DrillSession.scenario_version_id == ScenarioVersion.id)
            .where(
                DrillSession.user_id == user_id,
                DrillSession.passed.is_(True),
                DrillSession.preview.is_(False),
            )
        )
    )


def recent_sessions(limit: int = 100) -> list[DrillSession]:
    """Finished real drills, newest first, with player and scenario joined in."""
    return list(
        db.session.scalars(
            select(DrillSession)
            .where(DrillSession.preview.is_(False), DrillSession.state == "finished")
            .order_by(DrillSession.finished_at.desc(), DrillSession.id.desc())
            .limit(limit)
        )
    )


def scenario_overview() -> list[dict]:
    scenarios = db.session.scalars(select(Scenario).order_by(Scenario.procedure, Scenario.key))
    counts = dict(
        db.session.execute(
            select(ScenarioVersion.scenario_id, func.count(DrillSession.id))
            .join(DrillSession, DrillSession.scenario_version_id == ScenarioVersion.id)
            .where(DrillSession.preview.is_(False))
            .group_by(ScenarioVersion.scenario_id)
        ).all()
    )
    return [{"scenario": s, "sessions": counts.get(s.id, 0)} for s in scenarios]


def pending_review_count() -> int:
    """Replies of finished real drills not yet reviewed: every pending reply (an index holds
    just those) less those of the few sessions still playing or previewed (another holds
    those sessions), so neither side reads every session as joining them did."""
    pending = (DrillStep.kind == "reply", DrillStep.reviewed_at.is_(None))
    every = select(func.count()).select_from(DrillStep).where(*pending).scalar_subquery()
    not_reviewable = (
        select(func.count())
        .select_from(DrillStep)
        .join(DrillSession)
        .where(*pending, or_(DrillSession.state != "finished", DrillSession.preview))
        .scalar_subquery()
    )
    return db.session.scalar(select(every - not_reviewable)) or 0


def step_report_rows(limit: int = 20_000) -> list[dict]:
    """Every move of every finished real drill — which branch, which findings — for export.

    A fixed number of queries: the steps, their sessions (players and versions joined) and
    their overrides.
    """
    steps = db.session.scalars(
        select(DrillStep)
        .join(DrillSession)
        .where(DrillSession.preview.is_(False), DrillSession.state == "finished")
        .order_by(DrillSession.id, DrillStep.position)
        .limit(limit)
        .options(selectinload(DrillStep.session))
    ).all()
    rows = []
    for step in steps:
        session = step.session
        spec = spec_of(session.version)
        turn = spec.turns[step.turn_key]
        findings = step.findings or {"elements": [], "forbidden": []}
        final = {**{e["key"]: e["found"] for e in findings["elements"]}, **step.override_map()}
        rows.append(
            {
                "session": session.id,
                "employee_no": session.user.employee_no,
                "trainee": session.user.name,
                "scenario": spec.key,
                "version": session.version.number,
                "mode": session.mode,
                "position": step.position + 1,
                "turn": step.turn_key,
                "kind": step.kind,
                "move": turn.choices[step.choice_index].text
                if step.kind == "choice"
                else step.reply_text,
                "points": step.points,
                "max_points": step.max_points,
                "auto_points": step.auto_points,
                "found": "、".join(k for k, v in final.items() if v),
                "missing": "、".join(k for k, v in final.items() if not v),
                "forbidden": "、".join(
                    f"{f['matched']}@{f['start']}" for f in findings["forbidden"]
                ),
                "overridden": "、".join(step.override_map()),
                "ending": session.ending,
                "scene_percent": session.percent,
                "passed": session.passed,
            }
        )
    return rows


def _x(text: str):
    return lazy_pgettext("export", text)


# (raw key, translated header, how a value is shown to people)
MOVE_COLUMNS = (
    ("session", _x("Drill"), None),
    ("employee_no", _x("Employee number"), None),
    ("trainee", _x("Name"), None),
    ("scenario", _x("Scenario key"), None),
    ("version", _x("Version"), None),
    ("mode", _x("Mode"), lambda v: str({"practice": _x("Practice"), "exam": _x("Exam")}[v])),
    ("position", _x("Move number"), None),
    ("turn", _x("Turn"), None),
    ("kind", _x("Kind of move"), lambda v: str({"choice": _x("Choice"), "reply": _x("Reply")}[v])),
    ("move", _x("Move"), None),
    ("points", _x("Points"), None),
    ("max_points", _x("Maximum points"), None),
    ("auto_points", _x("Points before review"), None),
    ("found", _x("Elements found"), None),
    ("missing", _x("Elements missing"), None),
    ("forbidden", _x("Forbidden phrases (at character)"), None),
    ("overridden", _x("Elements overridden by a trainer"), None),
    ("ending", _x("Ending"), None),
    ("scene_percent", _x("Drill score %"), None),
    ("passed", _x("Passed"), lambda v: str(_x("Yes" if v else "No"))),
)


def move_export(raw: bool = False) -> tuple[list[str], Iterator[list]]:
    """Header and rows of the moves export: in the reader's language, or raw codes."""
    header = [key if raw else str(title) for key, title, _show in MOVE_COLUMNS]

    def rows() -> Iterator[list]:
        for row in step_report_rows():
            yield [
                row[key] if raw or show is None or row[key] is None else show(row[key])
                for key, _title, show in MOVE_COLUMNS
            ]

    return header, rows()

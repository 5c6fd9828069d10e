"""After a load phase: is everything the server acknowledged in the database?

An answer counts as lost when the stored value is neither the last one the server confirmed
nor one sent after it (a save whose reply was cut off may or may not have committed: both are
fine). A confirmed submit must have closed its attempt; a page confirmed as studied must have
its row; a confirmed sign-off must exist once, under its one-time token, with the task,
trainee, mentor, rating and grade that were sent, and with its audit entry.
"""

from pathlib import Path

from sqlalchemy import select


def check(database_url: str, files: Path, outcome: dict, population) -> dict:
    from load_setup import app_for

    from trainer.extensions import db

    app = app_for(database_url, files)
    with app.app_context():
        try:
            return {
                **_answers(outcome["exams"]),
                **_pages(outcome["studied"]),
                **_sign_offs(outcome["signed"]),
            }
        finally:
            db.session.remove()
            db.engine.dispose()


def _answers(exams) -> dict:
    from trainer.extensions import db
    from trainer.quizzes.models import Attempt, AttemptState
    from trainer.quizzes.question_types import get_question_type
    from trainer.quizzes.services import group_fields, load_responses

    result = {"attempts": 0, "answers": 0, "submits": 0, "lost_answers": 0, "lost_submits": 0}
    for record in exams:
        if record.attempt_id is None:
            continue
        attempt = db.session.get(Attempt, record.attempt_id)
        states = [group_fields(s) for s in (record.acknowledged, *record.pending)]
        confirmed = states[0]
        result["attempts"] += 1
        result["answers"] += len(confirmed)
        result["submits"] += record.submitted
        if attempt is None:
            result["lost_answers"] += len(confirmed)
            result["lost_submits"] += record.submitted
            continue
        if record.submitted and attempt.state == AttemptState.IN_PROGRESS:
            result["lost_submits"] += 1
        for response in load_responses(attempt):
            if not any(response.slot in state for state in states):
                continue  # never answered by this trainee
            kind = get_question_type(response.version.type)
            allowed = [
                kind.parse_answer(
                    response.version.payload, response.layout, state.get(response.slot, {})
                )
                for state in states
            ]
            result["lost_answers"] += response.value not in allowed
    return result


def _pages(studied) -> dict:
    from trainer.accounts.models import User
    from trainer.content.models import ContentModule, ModulePage, PageStudy
    from trainer.extensions import db

    stored = set(
        db.session.execute(
            select(User.employee_no, ContentModule.key, ModulePage.key)
            .join(PageStudy, PageStudy.user_id == User.id)
            .join(ModulePage, ModulePage.id == PageStudy.page_id)
            .join(ContentModule, ContentModule.id == ModulePage.module_id)
        ).all()
    )
    acknowledged = set(studied)
    return {"pages": len(acknowledged), "lost_pages": len(acknowledged - stored)}


def _sign_offs(signed) -> dict:
    from trainer.audit.models import AuditEntry
    from trainer.extensions import db
    from trainer.internship.models import SignOff

    by_token = {record.token: record for record in signed}
    rows = db.session.scalars(
        select(SignOff).where(SignOff.idempotency_token.in_(list(by_token)))
    ).all()
    audited = set(
        db.session.scalars(
            select(AuditEntry.target_id).where(AuditEntry.action == "internship.sign_off")
        )
    )
    found: dict[str, int] = {}
    lost = unaudited = 0
    for row in rows:
        found[row.idempotency_token] = found.get(row.idempotency_token, 0) + 1
        sent = by_token[row.idempotency_token]
        same = (
            row.enrolment_id == sent.enrolment_id
            and row.task_id == sent.task_id
            and row.mentor.employee_no == sent.mentor
            and row.rating == sent.rating
            and str(row.grade) == sent.grade
        )
        lost += not same
        unaudited += str(row.id) not in audited
    lost += sum(1 for token in by_token if token not in found)
    return {
        "sign_offs": len(by_token),
        "lost_sign_offs": lost,
        "unaudited": unaudited,
        "duplicates": sum(n - 1 for n in found.values()),
    }

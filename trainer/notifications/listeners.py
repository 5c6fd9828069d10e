"""What each feature's events become: notifications for the people concerned.

Every handler runs after the announcing transaction committed (`after_commit=True`), in its
own transaction: a rolled-back action notifies nobody, and a failing handler never undoes the
action. Handlers receive ids, load what they need and call `notify`, whose key makes them
idempotent.
"""

from flask import Flask
from sqlalchemy import select

from trainer import clock
from trainer.accounts.models import User
from trainer.certificates.models import Certificate, CertificateBatch
from trainer.coaching.models import CoachingRecord
from trainer.events import listen
from trainer.extensions import db
from trainer.internship.models import LogEntry, Placement, SignOff
from trainer.notifications import kinds
from trainer.notifications.services import Link, notify
from trainer.permissions import Role
from trainer.practical.models import PracticalAssessment
from trainer.quizzes.models import Response
from trainer.roleplay.models import DrillSession, DrillStep
from trainer.roleplay.services import review_queue
from trainer.training.models import Cohort, Enrolment
from trainer.training.services import current_enrolment

EXCERPT = 40  # characters of a log entry shown in the mentor's notification

# The events listened to, and which feature announces each (see each feature's services).
LOG_ADDED = "internship.log_added"  # entry_id
SIGNED_OFF = "internship.signed_off"  # sign_off_id
ESSAY_GRADED = "quizzes.essay_graded"  # response_id
REPLY_REVIEWED = "roleplay.reply_reviewed"  # step_id
REPLIES_QUEUED = "roleplay.replies_queued"  # session_id
COACHING_OPENED = "coaching.record_opened"  # record_id
CERTIFICATE_ISSUED = "certificates.issued"  # certificate_id
BATCH_FINISHED = "certificates.batch_finished"  # batch_id
PRACTICAL_RECORDED = "practical.assessment_recorded"  # assessment_id


def on_log_added(entry_id: int, **_ids) -> None:
    entry = db.session.get(LogEntry, entry_id)
    if entry is None:
        return
    placement = db.session.scalar(
        select(Placement).where(Placement.enrolment_id == entry.enrolment_id, Placement.active)
    )
    if placement is None:
        return
    trainee = placement.enrolment.user
    text = entry.what_happened.replace("\n", " ")
    notify(
        placement.mentor,
        kinds.MENTEE_LOGGED,
        key=f"log:{entry.id}",
        link=Link.to(
            "internship.mentee", enrolment_id=entry.enrolment_id, _anchor=f"log-{entry.id}"
        ),
        trainee=trainee.name,
        excerpt=text if len(text) <= EXCERPT else text[:EXCERPT] + "…",
    )


def on_signed_off(sign_off_id: int, **_ids) -> None:
    sign_off = db.session.get(SignOff, sign_off_id)
    if sign_off is None or sign_off.withdrawn:
        return
    trainee = db.session.get(Enrolment, sign_off.enrolment_id).user
    notify(
        trainee,
        kinds.TASK_SIGNED_OFF if sign_off.grade.successful else kinds.TASK_NOT_PASSED,
        key=f"sign_off:{sign_off.id}",
        link=Link.to("internship.my_internship"),
        mentor=sign_off.mentor.name,
        task=sign_off.task.title,
    )


def on_essay_graded(response_id: int, **_ids) -> None:
    response = db.session.get(Response, response_id)
    if response is None or response.score is None:
        return
    attempt = response.attempt
    notify(
        attempt.user,
        kinds.ESSAY_GRADED,
        key=f"essay:{response.id}:{response.graded_at.isoformat() if response.graded_at else ''}",
        link=Link.to("quizzes.review", attempt_id=attempt.id),
        quiz=attempt.quiz.title,
        points=float(response.score),
        max=float(response.version.points),
    )


def on_reply_reviewed(step_id: int, **_ids) -> None:
    step = db.session.get(DrillStep, step_id)
    if step is None or step.session.preview:
        return
    session = step.session
    notify(
        session.user,
        kinds.DRILL_REVIEWED,
        key=f"drill_review:{step.id}:{step.reviewed_at.isoformat() if step.reviewed_at else ''}",
        link=Link.to("roleplay.play", session_id=session.id),
        scenario=session.version.scenario.title,
        points=step.points,
        max=step.max_points,
    )


def on_replies_queued(session_id: int, **_ids) -> None:
    """Tell the trainee's cohort trainer (every trainer when there is none), once a day."""
    session = db.session.get(DrillSession, session_id)
    if session is None or session.preview:
        return
    enrolment = current_enrolment(session.user)
    trainers = (
        [enrolment.cohort.trainer]
        if enrolment is not None and enrolment.cohort is not None
        else _trainers()
    )
    if not review_queue(limit=1):
        return
    today = clock.today().isoformat()
    for trainer in trainers:
        notify(
            trainer,
            kinds.REVIEW_QUEUE,
            key=f"review_queue:{today}",
            link=Link.to("roleplay.review"),
        )


def _trainers() -> list[User]:
    return [
        u for u in db.session.scalars(select(User).where(User.active)) if u.has_role(Role.TRAINER)
    ]


def on_coaching_opened(record_id: int, **_ids) -> None:
    rec = db.session.get(CoachingRecord, record_id)
    if rec is None or rec.acknowledged:
        return
    notify(
        rec.trainee,
        kinds.COACHING_TO_ACKNOWLEDGE,
        key=f"coaching:{rec.id}",
        link=Link.to("coaching.record", record_id=rec.id),
        coach=rec.coach.name,
        date=rec.held_on.isoformat(),
    )


def on_certificate_issued(certificate_id: int, **_ids) -> None:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        return
    notify(
        certificate.user,
        kinds.CERTIFICATE_ISSUED,
        key=f"certificate:{certificate.id}",
        link=Link.to("dashboard.index"),
        serial=certificate.serial,
    )


def on_batch_finished(batch_id: int, **_ids) -> None:
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None or not batch.finished or batch.requested_by_id is None:
        return
    requester = db.session.get(User, batch.requested_by_id)
    cohort = db.session.get(Cohort, batch.cohort_id)
    notify(
        requester,
        kinds.BATCH_FAILED if batch.failed else kinds.BATCH_FINISHED,
        key=f"batch:{batch.id}",
        link=Link.to("certificates.batch", batch_id=batch.id),
        cohort=cohort.name if cohort else "",
        done=batch.done,
        failed=batch.failed,
    )


def on_practical_recorded(assessment_id: int, **_ids) -> None:
    assessment = db.session.get(PracticalAssessment, assessment_id)
    if assessment is None or assessment.withdrawn:
        return
    notify(
        assessment.enrolment.user,
        kinds.PRACTICAL_PASSED if assessment.passed else kinds.PRACTICAL_FAILED,
        key=f"practical:{assessment.id}",
        link=Link.to("practical.detail", assessment_id=assessment.id),
        observer=assessment.observer.name,
        percent=float(assessment.percent),
    )


HANDLERS = {
    LOG_ADDED: on_log_added,
    SIGNED_OFF: on_signed_off,
    ESSAY_GRADED: on_essay_graded,
    REPLY_REVIEWED: on_reply_reviewed,
    REPLIES_QUEUED: on_replies_queued,
    COACHING_OPENED: on_coaching_opened,
    CERTIFICATE_ISSUED: on_certificate_issued,
    BATCH_FINISHED: on_batch_finished,
    PRACTICAL_RECORDED: on_practical_recorded,
}


def register_listeners(app: Flask) -> None:
    for event, handler in HANDLERS.items():
        listen(app, event, handler, after_commit=True)

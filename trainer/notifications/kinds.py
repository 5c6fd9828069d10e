"""Every kind of notification: its text (a msgid with named parameters, translated when the
reader sees it) and its icon. `N_` only marks a msgid for extraction (`pybabel extract` knows
it); the text is stored untranslated and rendered in each reader's language."""

from dataclasses import dataclass


def N_(msgid: str) -> str:  # noqa: N802 (gettext's conventional name for a no-op marker)
    return msgid


@dataclass(frozen=True)
class Kind:
    name: str
    message: str
    icon: str = "bell"


MENTEE_LOGGED = Kind(
    "mentee_logged", N_("%(trainee)s wrote in the practice log: %(excerpt)s"), "journal-text"
)
TASK_DUE = Kind(
    "task_due", N_("%(trainee)s: the task “%(task)s” is due on %(due)s."), "calendar-event"
)
TASK_OVERDUE = Kind(
    "task_overdue",
    N_("%(trainee)s: the task “%(task)s” is overdue (it was due on %(due)s)."),
    "exclamation-triangle",
)
ESSAY_GRADED = Kind(
    "essay_graded",
    N_("Your answer in “%(quiz)s” was graded: %(points)s of %(max)s points."),
    "check2-square",
)
DRILL_REVIEWED = Kind(
    "drill_reviewed",
    N_("A trainer reviewed your reply in the drill “%(scenario)s”: %(points)s of %(max)s points."),
    "chat-dots",
)
COACHING_TO_ACKNOWLEDGE = Kind(
    "coaching_to_acknowledge",
    N_("%(coach)s recorded your coaching talk of %(date)s. Please read and acknowledge it."),
    "chat-square-text",
)
TASK_SIGNED_OFF = Kind("task_signed_off", N_("%(mentor)s signed off your task “%(task)s”."), "pen")
TASK_NOT_PASSED = Kind(
    "task_not_passed",
    N_("%(mentor)s observed your task “%(task)s” and graded it not yet passed."),
    "pen",
)
PRACTICAL_PASSED = Kind(
    "practical_passed",
    N_("%(observer)s recorded your practical assessment: passed with %(percent)s / 100."),
    "clipboard-check",
)
PRACTICAL_FAILED = Kind(
    "practical_failed",
    N_("%(observer)s recorded your practical assessment: not passed (%(percent)s / 100)."),
    "clipboard-x",
)
CERTIFICATE_ISSUED = Kind(
    "certificate_issued", N_("Your post certificate %(serial)s was issued."), "patch-check"
)
CERTIFICATE_EXPIRING = Kind(
    "certificate_expiring",
    N_("Your post certificate %(serial)s expires on %(date)s."),
    "hourglass-split",
)
REVIEW_QUEUE = Kind(
    "review_queue",
    N_("Drill replies are waiting in the review queue."),
    "inboxes",
)
BATCH_FINISHED = Kind(
    "batch_finished",
    N_("Certificates for %(cohort)s are done: %(done)s issued."),
    "patch-check",
)
BATCH_FAILED = Kind(
    "batch_failed",
    N_("Certificates for %(cohort)s: %(done)s issued, %(failed)s failed."),
    "x-octagon",
)

KINDS = {
    kind.name: kind
    for kind in (
        MENTEE_LOGGED,
        TASK_DUE,
        TASK_OVERDUE,
        ESSAY_GRADED,
        DRILL_REVIEWED,
        COACHING_TO_ACKNOWLEDGE,
        TASK_SIGNED_OFF,
        TASK_NOT_PASSED,
        PRACTICAL_PASSED,
        PRACTICAL_FAILED,
        CERTIFICATE_ISSUED,
        CERTIFICATE_EXPIRING,
        REVIEW_QUEUE,
        BATCH_FINISHED,
        BATCH_FAILED,
    )
}

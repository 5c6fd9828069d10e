"""Read-side queries over quiz attempts: item analysis input, weak-area facts, exam results.

Item analysis loads one row per response with a single query and pivots it with numpy, so
100,000 responses take well under a second (bench/item_analysis.py).
"""

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain

import numpy as np
from sqlalchemy import Text, cast, func, select

from trainer import clock
from trainer.extensions import db
from trainer.quizzes.models import (
    Attempt,
    AttemptState,
    Purpose,
    Question,
    QuestionVersion,
    Quiz,
    Response,
)
from trainer.quizzes.question_types import UnknownQuestionType, get_question_type
from trainer.reports.item_analysis import ItemAnalysis, analyse, response_matrix
from trainer.reports.labels import procedure_names
from trainer.reports.weak_areas import ScoreFact
from trainer.shared_cache import stamped
from trainer.training.models import Enrolment

EXAM_PURPOSES = (Purpose.PRE_JOB, Purpose.FINAL, Purpose.REFRESHER)
STEP_REF = re.compile(r"^([a-z_]+)\.([A-Za-z0-9_\-]+)$")


@dataclass
class QuestionInfo:
    question_id: int
    key: str
    label: str
    category: str
    type: str
    max_mark: float
    choices: list[dict] = field(default_factory=list)  # [{"text", "count", "fraction"}]
    other_answers: list[tuple[str, int]] = field(default_factory=list)
    blank: int = 0


@dataclass
class QuizItemReport:
    quiz: Quiz
    analysis: ItemAnalysis
    questions: list[QuestionInfo]

    def to_contract(self) -> dict:
        """`trainer reports items --format json`: exactly alpha and per-item four fields."""
        return {
            "alpha": _number(self.analysis.test.alpha),
            "items": [
                {
                    "question": q.label,
                    "facility": _number(item.facility),
                    "discrimination": _number(item.discrimination),
                    "n": item.n,
                }
                for q, item in zip(self.questions, self.analysis.items, strict=True)
            ],
        }


def _number(value: float | None) -> float:
    # The contract says float; a statistic that cannot be computed (one attempt, no spread)
    # prints as 0.0 rather than null.
    return round(float(value), 6) if value is not None else 0.0


@dataclass(frozen=True)
class AttemptWindow:
    """Which graded attempts an analysis reads: one cohort's trainees, those submitted in the
    last `months` months (from the start of a business day, so the window is stable all day
    and the cache keeps), or every attempt when both are None."""

    cohort_id: int | None = None
    months: int | None = None

    def since(self) -> datetime | None:
        if not self.months:
            return None
        return clock.start_of_day(clock.today() - timedelta(days=round(30.44 * self.months)))

    def conditions(self) -> list:
        conditions = []
        if self.cohort_id is not None:
            cohort = select(Enrolment.user_id).where(Enrolment.cohort_id == self.cohort_id)
            conditions.append(Attempt.user_id.in_(cohort))
        if (since := self.since()) is not None:
            conditions.append(Attempt.submitted_at >= since)
        return conditions

    def key(self) -> tuple:
        return (self.cohort_id, self.since())

    @property
    def param(self) -> str:
        """The page's ?window= value for this window."""
        if self.cohort_id is not None:
            return f"cohort:{self.cohort_id}"
        return f"months:{self.months}" if self.months else "all"


EVERY_ATTEMPT = AttemptWindow()


def _graded(quiz_id: int, first_only: bool, window: AttemptWindow = EVERY_ATTEMPT):
    conditions = [Attempt.quiz_id == quiz_id, Attempt.state == AttemptState.GRADED]
    if first_only:
        conditions.append(Attempt.number == 1)
    return conditions + window.conditions()


def response_triples(
    quiz_id: int, first_only: bool = False, window: AttemptWindow = EVERY_ATTEMPT
) -> tuple[np.ndarray, ...]:
    """(attempt ids, question ids, marks, points) of every graded response.

    One query over the response table (attempts by subquery) read straight from the DB-API
    cursor: building 100,000 SQLAlchemy rows costs more than the statistics themselves.
    Question ids and points come from the few question versions involved.
    """
    attempts = select(Attempt.id).where(*_graded(quiz_id, first_only, window))
    statement = select(
        Response.attempt_id, Response.question_version_id, func.coalesce(Response.score, 0.0)
    ).where(Response.attempt_id.in_(attempts))
    raw = db.session.connection().execute(statement).cursor.fetchall()
    if not raw:
        empty = np.empty(0)
        return empty.astype(np.int64), empty.astype(np.int64), empty, empty
    data = np.fromiter(chain.from_iterable(raw), dtype=float, count=3 * len(raw)).reshape(-1, 3)
    version_ids = data[:, 1].astype(np.int64)
    distinct = np.unique(version_ids)
    versions = db.session.execute(
        select(QuestionVersion.id, QuestionVersion.question_id, QuestionVersion.points).where(
            QuestionVersion.id.in_(distinct.tolist())
        )
    ).all()
    lookup = {vid: (qid, points) for vid, qid, points in versions}
    question_of = np.array([lookup[int(v)][0] for v in distinct], dtype=np.int64)
    points_of = np.array([lookup[int(v)][1] for v in distinct], dtype=float)
    index = np.searchsorted(distinct, version_ids)
    return data[:, 0].astype(np.int64), question_of[index], data[:, 2], points_of[index]


def analyse_quiz(
    quiz: Quiz,
    first_only: bool = False,
    with_answers: bool = True,
    window: AttemptWindow = EVERY_ATTEMPT,
) -> QuizItemReport:
    attempts, questions, marks, points = response_triples(quiz.id, first_only, window)
    matrix, _, question_ids = response_matrix(attempts, questions, marks)
    if len(question_ids):
        # An item's max mark: the largest points of the versions seen (usually one value).
        order = np.argsort(questions, kind="stable")
        starts = np.searchsorted(questions[order], question_ids)
        max_marks = np.maximum.reduceat(points[order], starts)
    else:
        max_marks = np.empty(0)
    info = question_info(
        [int(q) for q in question_ids],
        dict(zip((int(q) for q in question_ids), (float(m) for m in max_marks), strict=True)),
    )
    if with_answers:
        add_answer_frequencies(quiz.id, info, first_only, window)
    return QuizItemReport(quiz, analyse(matrix, max_marks), [info[int(q)] for q in question_ids])


def graded_stamp(quiz_id: int, window: AttemptWindow) -> tuple:
    """What changes when a graded attempt arrives (or an essay is graded): the number of
    graded attempts in the window, the newest id and the latest grading time."""
    row = db.session.execute(
        select(func.count(), func.max(Attempt.id), func.max(Attempt.graded_at)).where(
            *_graded(quiz_id, False, window)
        )
    ).one()
    return tuple(row)


def cached_analysis(
    quiz: Quiz, first_only: bool = False, window: AttemptWindow = EVERY_ATTEMPT
) -> QuizItemReport:
    """analyse_quiz, kept (shared_cache: this process, then Redis for every instance) until a
    new graded attempt arrives in the window: the page reads one aggregate row instead of
    every response."""

    def compute() -> tuple:
        report = analyse_quiz(quiz, first_only=first_only, window=window)
        return report.analysis, report.questions

    analysis, questions = stamped(
        "item_analysis",
        (quiz.id, first_only, window.key()),
        graded_stamp(quiz.id, window),
        compute,
    )
    return QuizItemReport(quiz, analysis, questions)


def question_info(question_ids: list[int], max_marks: dict[int, float]) -> dict[int, QuestionInfo]:
    """Label, category and type of each question, from its newest version (one query)."""
    newest = (
        select(QuestionVersion.question_id, func.max(QuestionVersion.number).label("number"))
        .where(QuestionVersion.question_id.in_(question_ids))
        .group_by(QuestionVersion.question_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Question.id,
            Question.key,
            Question.category,
            QuestionVersion.type,
            QuestionVersion.title,
            QuestionVersion.text,
        )
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(
            newest,
            (newest.c.question_id == Question.id) & (newest.c.number == QuestionVersion.number),
        )
    ).all()
    return {
        qid: QuestionInfo(
            qid, key, question_label(title, text, key), category, qtype, max_marks.get(qid, 0.0)
        )
        for qid, key, category, qtype, title, text in rows
    }


def question_label(title: str | None, text: str, key: str) -> str:
    if title and title.strip():
        return title.strip()
    flat = " ".join((text or "").split())
    return (flat[:60] + "…") if len(flat) > 60 else (flat or key)


def add_answer_frequencies(
    quiz_id: int,
    info: dict[int, QuestionInfo],
    first_only: bool,
    window: AttemptWindow = EVERY_ATTEMPT,
) -> None:
    """Per-answer counts, grouped in SQL by (question version, answer text)."""
    rows = db.session.execute(
        select(
            QuestionVersion.question_id,
            QuestionVersion.id,
            cast(Response.answer, Text),
            func.count(),
        )
        .join(Attempt, Response.attempt_id == Attempt.id)
        .join(QuestionVersion, Response.question_version_id == QuestionVersion.id)
        .where(*_graded(quiz_id, first_only, window))
        .group_by(QuestionVersion.question_id, QuestionVersion.id, cast(Response.answer, Text))
    ).all()
    if not rows:
        return
    payloads = dict(
        db.session.execute(
            select(QuestionVersion.id, QuestionVersion.payload).where(
                QuestionVersion.id.in_({r[1] for r in rows})
            )
        ).all()
    )
    choice_counts: dict[int, Counter] = defaultdict(Counter)
    other: dict[int, Counter] = defaultdict(Counter)
    for question_id, version_id, answer_text, count in rows:
        if question_id not in info:
            continue
        value = _answer_value(answer_text)
        if value is None:
            info[question_id].blank += count
            continue
        payload = payloads[version_id] or {}
        if isinstance(payload.get("choices"), list) and _is_choice_answer(value):
            for index in value if isinstance(value, list) else [value]:
                choice_counts[question_id][index] += count
        else:
            other[question_id][_describe(info[question_id].type, payload, value)] += count
    for question_id, q in info.items():
        payload = _newest_payload(question_id, rows, payloads)
        if isinstance(payload.get("choices"), list):
            q.choices = [
                {
                    "text": c.get("text", ""),
                    "fraction": float(c.get("fraction", 0)),
                    "count": choice_counts[question_id][i],
                }
                for i, c in enumerate(payload["choices"])
            ]
        q.other_answers = other[question_id].most_common(8)


def _answer_value(answer_text: str | None):
    if answer_text is None:
        return None
    try:
        answer = json.loads(answer_text)
    except ValueError:
        return None
    value = answer.get("value") if isinstance(answer, dict) else None
    return None if value in (None, "", []) else value


def _is_choice_answer(value) -> bool:
    items = value if isinstance(value, list) else [value]
    return all(isinstance(i, int) and not isinstance(i, bool) for i in items)


def _describe(qtype: str, payload: dict, value) -> str:
    try:
        text = get_question_type(qtype).describe_answer(payload, value)
    except (UnknownQuestionType, KeyError, TypeError, ValueError, IndexError):
        text = ""
    return text or str(value)


def _newest_payload(question_id: int, rows, payloads) -> dict:
    versions = [version_id for qid, version_id, _, _ in rows if qid == question_id]
    return payloads.get(max(versions), {}) if versions else {}


# ---- weak areas and results ----------------------------------------------------------------


def step_of(link: str | None) -> str | None:
    """A question's link as a procedure step ref, or None when it points at a topic item."""
    if link and (match := STEP_REF.match(link)) and match.group(1) in procedure_names():
        return link
    return None


def quiz_facts(user_id: int) -> list[ScoreFact]:
    """Points earned per question category and per linked procedure step, graded attempts."""
    rows = db.session.execute(
        select(Question.category, QuestionVersion.link, Response.score, QuestionVersion.points)
        .join(QuestionVersion, Response.question_version_id == QuestionVersion.id)
        .join(Question, QuestionVersion.question_id == Question.id)
        .join(Attempt, Response.attempt_id == Attempt.id)
        .where(Attempt.user_id == user_id, Attempt.state == AttemptState.GRADED)
    ).all()
    facts = []
    for category, link, score, points in rows:
        earned = score or 0.0
        facts.append(ScoreFact("topic", category, earned, points, "quiz"))
        if ref := step_of(link):
            facts.append(ScoreFact("step", ref, earned, points, "quiz"))
    return facts

"""What starting an attempt needs that is the same for every trainee of a quiz version: its
rules, the pool of questions it may draw and their current versions (issue 21, the start storm).

Loaded in three queries the first time, then kept per app (`app.extensions`) and checked at
each start with one cheap statement, `stamp`: the quiz's row and rules, and the question
tables' row counts, newest change and newest version. Any edit of the quiz, its rules or any
question (a new version, archiving, a changed category or usage, a deletion) changes the stamp,
so the next start rebuilds the plan; another instance's edit is seen the same way, as the stamp
is read from the database. Picking then happens in memory, whatever the quiz's size.
"""

import random
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.quizzes.drawing import drawable_usages, is_gating
from trainer.quizzes.models import Question, QuestionVersion, Quiz, QuizRule
from trainer.quizzes.question_types import question_types

CACHE = "quiz_start_plans"


class DrawError(DomainError):
    """The quiz cannot be filled by its rules; the message is safe to show."""


@dataclass(frozen=True)
class Version:
    id: int
    type: str
    payload: dict


@dataclass(frozen=True)
class StartPlan:
    stamp: tuple
    fixed: tuple[int, ...]  # fixed question ids the purpose allows, in rule order
    draws: tuple[tuple[str, int], ...]  # random rules: (category prefix, count)
    pool: tuple[tuple[int, str], ...]  # (question id, category) drawable, by id
    versions: dict[int, Version]  # current version of every fixed or pool question

    def pick(self, rng: random.Random, shuffle: bool) -> list[int]:
        """Question ids: the fixed ones, then `count` random ones per rule, without repeats."""
        chosen = list(self.fixed)
        for category, count in self.draws:
            taken = set(chosen)
            pool = [
                qid
                for qid, cat in self.pool
                if (cat == category or cat.startswith(category + "/")) and qid not in taken
            ]
            if len(pool) < count:
                raise DrawError(
                    _l("category %(category)s has %(count)s questions, %(needed)s needed"),
                    category=category,
                    count=len(pool),
                    needed=count,
                )
            chosen += rng.sample(pool, count)
        if not chosen:
            raise DrawError(_l("this quiz has no questions"))
        if shuffle:
            rng.shuffle(chosen)
        return chosen


def manual_types() -> list[str]:
    """Types a trainer grades (essay, and role-play when that feature registers it)."""
    return [name for name, kind in question_types().items() if kind.manual]


def stamp(quiz: Quiz) -> tuple:
    """One statement: changes whenever the quiz, its rules or any question changes."""
    rules = select(QuizRule).where(QuizRule.quiz_id == quiz.id).subquery()
    row = db.session.execute(
        select(
            select(func.count()).select_from(rules).scalar_subquery(),
            select(func.max(rules.c.id)).scalar_subquery(),
            select(func.sum(rules.c.count)).scalar_subquery(),
            select(func.count(Question.id)).scalar_subquery(),
            select(func.max(Question.updated_at)).scalar_subquery(),
            select(func.max(QuestionVersion.id)).scalar_subquery(),
        )
    ).one()
    return (quiz.id, quiz.updated_at, quiz.purpose, *row)


def start_plan(quiz: Quiz) -> StartPlan:
    """The quiz's plan, from the app's cache when its stamp still matches."""
    cache: dict[int, StartPlan] = current_app.extensions.setdefault(CACHE, {})
    current = stamp(quiz)
    plan = cache.get(quiz.id)
    if plan is None or plan.stamp != current:
        plan = cache[quiz.id] = build_plan(quiz, current)
    return plan


def build_plan(quiz: Quiz, current: tuple) -> StartPlan:
    usages = drawable_usages(quiz.purpose)
    rules = db.session.execute(
        select(QuizRule.question_id, QuizRule.category, QuizRule.count, Question.usage)
        .outerjoin(Question, Question.id == QuizRule.question_id)
        .where(QuizRule.quiz_id == quiz.id)
        .order_by(QuizRule.position)
    ).all()
    # A fixed exam-only question never reaches a practice quiz (setup refuses such rules too).
    fixed = tuple(
        qid
        for qid, _cat, _n, usage in rules
        if qid is not None and (is_gating(quiz.purpose) or usage in usages)
    )
    draws = tuple((cat, n) for qid, cat, n, _usage in rules if cat is not None)
    newest = (
        select(func.max(QuestionVersion.id).label("id"))
        .group_by(QuestionVersion.question_id)
        .subquery()
    )
    columns = (
        Question.id,
        Question.category,
        QuestionVersion.id,
        QuestionVersion.type,
        QuestionVersion.payload,
    )
    base = (
        select(*columns)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(newest, newest.c.id == QuestionVersion.id)
    )
    pool_rows = []
    if draws:
        matches = [
            (Question.category == c) | Question.category.startswith(c + "/") for c, _ in draws
        ]
        pool_rows = db.session.execute(
            base.where(
                Question.archived.is_(False),
                QuestionVersion.type.not_in(manual_types()),
                Question.usage.in_(sorted(usages)),
                or_(*matches),
            ).order_by(Question.id)
        ).all()
    fixed_rows = db.session.execute(base.where(Question.id.in_(fixed))).all() if fixed else []
    versions = {
        qid: Version(vid, vtype, payload)
        for qid, _c, vid, vtype, payload in (*pool_rows, *fixed_rows)
    }
    return StartPlan(
        stamp=current,
        fixed=tuple(qid for qid in fixed if qid in versions),
        draws=draws,
        pool=tuple((qid, cat) for qid, cat, *_ in pool_rows),
        versions=versions,
    )

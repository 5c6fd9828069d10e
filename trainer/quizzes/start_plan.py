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
from trainer.quizzes.models import Question, QuestionTag, QuestionVersion, Quiz, QuizRule
from trainer.quizzes.rule_pool import describe_rule, manual_types, rule_condition, rule_pool

CACHE = "quiz_start_plans"


class DrawError(DomainError):
    """The quiz cannot be filled by its rules; the message is safe to show."""


@dataclass(frozen=True)
class Version:
    id: int
    type: str
    payload: dict


@dataclass(frozen=True)
class Draw:
    """A random rule and the ids it may draw (rule_pool.py: category, tag, usage, type)."""

    category: str
    tag: str | None
    usage: str | None
    count: int
    pool: tuple[int, ...]


@dataclass(frozen=True)
class StartPlan:
    stamp: tuple
    fixed: tuple[int, ...]  # fixed question ids the purpose allows, in rule order
    draws: tuple[Draw, ...]  # the random rules, in order
    versions: dict[int, Version]  # current version of every fixed or pool question

    def pick(self, rng: random.Random, shuffle: bool) -> list[int]:
        """Question ids: the fixed ones, then `count` random ones per rule, without repeats."""
        chosen = list(self.fixed)
        for draw in self.draws:
            taken = set(chosen)
            pool = [qid for qid in draw.pool if qid not in taken]
            if len(pool) < draw.count:
                raise DrawError(
                    _l("%(rule)s has %(count)s questions, %(needed)s needed"),
                    rule=describe_rule(draw.category, draw.tag, draw.usage),
                    count=len(pool),
                    needed=draw.count,
                )
            chosen += rng.sample(pool, draw.count)
        if not chosen:
            raise DrawError(_l("this quiz has no questions"))
        if shuffle:
            rng.shuffle(chosen)
        return chosen


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
            # tags are not versioned: their count and a cheap checksum of who has which
            select(func.count()).select_from(QuestionTag).scalar_subquery(),
            select(
                func.sum(func.length(QuestionTag.tag) * QuestionTag.question_id)
            ).scalar_subquery(),
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
    """Built once per stamp, so its few queries per rule do not count in a start storm."""
    usages = drawable_usages(quiz.purpose)
    rules = db.session.execute(
        select(
            QuizRule.question_id,
            QuizRule.category,
            QuizRule.tag,
            QuizRule.usage,
            QuizRule.count,
            Question.usage,
        )
        .outerjoin(Question, Question.id == QuizRule.question_id)
        .where(QuizRule.quiz_id == quiz.id)
        .order_by(QuizRule.position)
    ).all()
    # A fixed exam-only question never reaches a practice quiz (setup refuses such rules too).
    fixed = tuple(
        rule.question_id
        for rule in rules
        if rule.question_id is not None and (is_gating(quiz.purpose) or rule[5] in usages)
    )
    draws = tuple(
        Draw(
            r.category,
            r.tag,
            r.usage,
            r.count,
            tuple(rule_pool(quiz.purpose, r.category, r.tag, r.usage)),
        )
        for r in rules
        if r.category is not None
    )
    newest = (
        select(func.max(QuestionVersion.id).label("id"))
        .group_by(QuestionVersion.question_id)
        .subquery()
    )
    base = (
        select(Question.id, QuestionVersion.id, QuestionVersion.type, QuestionVersion.payload)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(newest, newest.c.id == QuestionVersion.id)
    )
    pool_rows = []
    if draws:
        conditions = [rule_condition(quiz.purpose, d.category, d.tag, d.usage) for d in draws]
        pool_rows = db.session.execute(
            base.where(or_(*conditions), QuestionVersion.type.not_in(manual_types()))
        ).all()
    fixed_rows = db.session.execute(base.where(Question.id.in_(fixed))).all() if fixed else []
    versions = {
        qid: Version(vid, vtype, payload) for qid, vid, vtype, payload in (*pool_rows, *fixed_rows)
    }
    return StartPlan(
        stamp=current,
        fixed=tuple(qid for qid in fixed if qid in versions),
        draws=draws,
        versions=versions,
    )

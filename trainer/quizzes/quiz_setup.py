"""Creating and updating quizzes from a spec (quizzes.yaml or the trainer's form)."""

from sqlalchemy import func, select

from trainer.audit.services import record
from trainer.extensions import db
from trainer.quizzes.banks import get_bank
from trainer.quizzes.models import (
    GradingMethod,
    Purpose,
    Question,
    QuestionBank,
    QuestionVersion,
    Quiz,
    QuizRule,
    ReviewWhen,
)
from trainer.quizzes.question_types import question_types

QUIZ_FIELDS = (
    "key",
    "title",
    "description",
    "purpose",
    "time_limit_minutes",
    "attempts_allowed",
    "pass_percent",
    "grading_method",
    "shuffle_questions",
    "shuffle_answers",
    "review_when",
    "review_shows_answers",
    "rules",
)


def is_manual(question_type: str) -> bool:
    """Random rules never draw questions a trainer grades (see services.pick_questions)."""
    kind = question_types().get(question_type)
    return kind is None or kind.manual


def in_category(category: str, prefix: str) -> bool:
    return category == prefix or category.startswith(prefix + "/")


def validate_quiz(spec: dict, questions: dict[tuple[str, str], dict]) -> list[str]:
    """Problems in a quiz spec; `questions` maps (bank, key) to native questions."""
    key = spec.get("key", "?")
    errors = []
    if spec.get("purpose") not in {p.value for p in Purpose}:
        errors.append(f"quiz {key}: purpose must be one of {', '.join(p.value for p in Purpose)}")
    for name, enum in (("grading_method", GradingMethod), ("review_when", ReviewWhen)):
        if name in spec and spec[name] not in {e.value for e in enum}:
            errors.append(f"quiz {key}: {name} {spec[name]!r} is not valid")
    fixed = set()
    rules = spec.get("rules") or []
    if not isinstance(rules, list):
        return [f"quiz {key}: rules must be a list"]
    for n, rule in enumerate(rules, 1):
        if not isinstance(rule, dict):
            errors.append(f"quiz {key}: rules[{n}]: must be a mapping")
        elif not isinstance(rule.get("count", 1), int) or rule.get("count", 1) < 1:
            errors.append(f"quiz {key}: rules[{n}]: count must be a positive whole number")
        elif "question" in rule:
            bank, _, qkey = str(rule["question"]).partition("/")
            if (bank, qkey) not in questions:
                errors.append(f"quiz {key}: rules[{n}]: no question {rule['question']}")
            fixed.add((bank, qkey))
        elif "category" in rule:
            pool = [
                k
                for k, q in questions.items()
                if in_category(q["category"], rule["category"])
                and k not in fixed
                and not is_manual(q["type"])
            ]
            if len(pool) < int(rule.get("count", 1)):
                errors.append(
                    f"quiz {key}: rules[{n}]: category {rule['category']} has "
                    f"{len(pool)} questions, {rule.get('count', 1)} needed"
                )
        else:
            errors.append(f"quiz {key}: rules[{n}]: needs 'question' or 'category'")
    if not spec.get("rules"):
        errors.append(f"quiz {key}: needs rules")
    return errors


def questions_index() -> dict[tuple[str, str], dict]:
    """(bank, key) → category and current type of every question, for validating rules."""
    newest = (
        select(func.max(QuestionVersion.id).label("id"))
        .group_by(QuestionVersion.question_id)
        .subquery()
    )
    rows = db.session.execute(
        select(QuestionBank.name, Question.key, Question.category, QuestionVersion.type)
        .join(Question.bank)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(newest, newest.c.id == QuestionVersion.id)
        .where(Question.archived.is_(False))
    )
    return {
        (bank, key): {"category": category, "type": qtype} for bank, key, category, qtype in rows
    }


def rules_as_specs(quiz: Quiz) -> list[dict]:
    specs = []
    for rule in quiz.rules:
        if rule.question_id is not None:
            specs.append({"question": f"{rule.question.bank.name}/{rule.question.key}"})
        else:
            specs.append({"category": rule.category, "count": rule.count})
    return specs


def resolve_question(ref: str) -> Question:
    bank_name, _, key = ref.partition("/")
    bank = get_bank(bank_name)
    question = bank and db.session.scalar(
        select(Question).where(Question.bank_id == bank.id, Question.key == key)
    )
    if question is None:
        raise ValueError(f"no question {ref}")
    return question


def upsert_quiz(actor, programme, spec: dict) -> Quiz:
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == spec["key"]))
    created = quiz is None
    if created:
        quiz = Quiz(key=spec["key"], programme=programme)
        db.session.add(quiz)
    for name in QUIZ_FIELDS:
        if name in spec and name not in ("key", "rules"):
            setattr(quiz, name, spec[name])
    quiz.purpose = Purpose(spec["purpose"])
    quiz.rules = [
        QuizRule(position=n, question=resolve_question(r["question"]))
        if "question" in r
        else QuizRule(position=n, category=r["category"], count=int(r.get("count", 1)))
        for n, r in enumerate(spec["rules"])
    ]
    db.session.flush()
    if actor is not None:
        record(
            actor, "quiz.create" if created else "quiz.update", quiz, after={"title": quiz.title}
        )
    return quiz

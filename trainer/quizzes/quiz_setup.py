"""Creating and updating quizzes from a spec (quizzes.yaml or the trainer's form)."""

from sqlalchemy import func, select

from trainer.audit.services import record
from trainer.extensions import db
from trainer.quizzes.banks import get_bank
from trainer.quizzes.drawing import in_category as in_category  # the loader's tests use it
from trainer.quizzes.drawing import is_gating, may_draw, rule_takes
from trainer.quizzes.models import (
    GradingMethod,
    Purpose,
    Question,
    QuestionBank,
    QuestionTag,
    QuestionVersion,
    Quiz,
    QuizRule,
    ReviewWhen,
    Usage,
)
from trainer.quizzes.paging import MAX_QUESTIONS_PER_PAGE
from trainer.quizzes.question_types import question_types
from trainer.quizzes.review import (
    POLICY_FIELDS,
    SAFE_FOR_EXAM_ANSWERS,
    default_policy,
    policy_errors,
)

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
    "questions_per_page",
    "review_when",
    "review_feedback_when",
    "review_answers_when",
    "review_shows_answers",  # before the review policy: true = feedback and answers with marks
    "rules",
)


USAGES = tuple(u.value for u in Usage)
ENUM_FIELDS = (("grading_method", GradingMethod),) + tuple(
    (name, ReviewWhen) for name in POLICY_FIELDS
)


def is_manual(question_type: str) -> bool:
    """Random rules never draw questions a trainer grades (see services.pick_questions)."""
    kind = question_types().get(question_type)
    return kind is None or kind.manual


RANDOM_KEYS = ("category", "tag", "usage")


def is_random(rule) -> bool:
    """A random rule names a category, a tag and/or a usage (and no question)."""
    return isinstance(rule, dict) and "question" not in rule and any(k in rule for k in RANDOM_KEYS)


def describe(rule: dict) -> str:
    parts = [f"{k} {rule[k]}" for k in RANDOM_KEYS if rule.get(k)]
    return " ".join(parts) or "every category"


def rule_pools(rules: list, purpose: str, questions: dict, fixed=()) -> dict[int, set]:
    """Rule number → the (bank, key)s that random rule may draw."""
    return {
        n: {
            k
            for k, q in questions.items()
            if k not in fixed
            and not is_manual(q["type"])
            and rule_takes(rule, purpose, q["category"], q.get("usage"), q.get("tags") or ())
        }
        for n, rule in enumerate(rules, 1)
        if is_random(rule)
    }


def competing_need(rules: list, pools: dict[int, set], n: int) -> int:
    """What rule n's pool must hold so that it fills whatever the other rules draw first:
    its own count plus the counts of the rules whose pools share questions with it."""
    return sum(
        int(rules[m - 1].get("count", 1)) for m, pool in pools.items() if m == n or pool & pools[n]
    )


def validate_quiz(spec: dict, questions: dict[tuple[str, str], dict]) -> list[str]:
    """Problems in a quiz spec; `questions` maps (bank, key) to native questions.

    The rules must be fillable from the questions the quiz may draw (see drawing.py): a gating
    exam only from exam-only questions, a practice quiz never from them. Rules whose pools
    share questions compete for them, so each rule's pool must cover them all.
    """
    key = spec.get("key", "?")
    errors = []
    purpose = spec.get("purpose")
    if purpose not in {p.value for p in Purpose}:
        return [f"quiz {key}: purpose must be one of {', '.join(p.value for p in Purpose)}"]
    for name, enum in ENUM_FIELDS:
        if spec.get(name) and spec[name] not in {e.value for e in enum}:
            errors.append(f"quiz {key}: {name} {spec[name]!r} is not valid")
    per_page = spec.get("questions_per_page")
    if per_page is not None and (
        not isinstance(per_page, int)
        or isinstance(per_page, bool)
        or not 1 <= per_page <= MAX_QUESTIONS_PER_PAGE
    ):
        errors.append(
            f"quiz {key}: questions_per_page must be a whole number from 1 to "
            f"{MAX_QUESTIONS_PER_PAGE}, or left out for all questions on one page"
        )
    rules = spec.get("rules") or []
    if not isinstance(rules, list):
        return [f"quiz {key}: rules must be a list"]
    kind = "exam-only questions" if is_gating(purpose) else "questions usable in practice"
    fixed = {
        tuple(str(r["question"]).partition("/")[::2])
        for r in rules
        if isinstance(r, dict) and "question" in r
    }
    valid = [r for r in rules if _count_ok(r) and _usage_ok(r)]
    pools = rule_pools([r if r in valid else {} for r in rules], purpose, questions, fixed)
    for n, rule in enumerate(rules, 1):
        if not isinstance(rule, dict):
            errors.append(f"quiz {key}: rules[{n}]: must be a mapping")
        elif not _count_ok(rule):
            errors.append(f"quiz {key}: rules[{n}]: count must be a positive whole number")
        elif "question" in rule:
            bank, _, qkey = str(rule["question"]).partition("/")
            question = questions.get((bank, qkey))
            if question is None:
                errors.append(f"quiz {key}: rules[{n}]: no question {rule['question']}")
            elif not may_draw(purpose, question.get("usage")):
                errors.append(
                    f"quiz {key}: rules[{n}]: question {rule['question']} has usage "
                    f"{question.get('usage') or 'both'}; a {purpose} quiz uses only {kind}"
                )
        elif not _usage_ok(rule):
            errors.append(f"quiz {key}: rules[{n}]: usage must be one of practice, exam, both")
        elif is_random(rule):
            needed = competing_need(rules, pools, n)
            if len(pools[n]) < needed:
                noun = "exam-only questions" if is_gating(purpose) else "questions"
                errors.append(
                    f"quiz {key}: rules[{n}]: {describe(rule)} has "
                    f"{len(pools[n])} {noun}, {needed} needed"
                )
        else:
            errors.append(f"quiz {key}: rules[{n}]: needs 'question' or 'category'")
    if not spec.get("rules"):
        errors.append(f"quiz {key}: needs rules")
    return errors + policy_errors(review_policy(spec))


def _count_ok(rule) -> bool:
    count = rule.get("count", 1) if isinstance(rule, dict) else None
    return isinstance(count, int) and not isinstance(count, bool) and count >= 1


def _usage_ok(rule) -> bool:
    return not isinstance(rule, dict) or rule.get("usage") in (None, "", *USAGES)


def review_policy(spec: dict) -> dict:
    """The spec's review policy, the purpose's defaults filling what it leaves out.

    An older spec's `review_shows_answers: true` shows feedback and answers when the marks
    show (a gating exam's answers still wait: never while attempts remain).
    """
    policy = {"key": spec.get("key"), "purpose": spec.get("purpose")}
    policy |= default_policy(spec.get("purpose"))
    if "review_when" in spec and "review_shows_answers" in spec:
        legacy = spec["review_when"] if spec["review_shows_answers"] else "never"
        policy["review_feedback_when"] = legacy
        if not is_gating(spec["purpose"]) or ReviewWhen(legacy) in SAFE_FOR_EXAM_ANSWERS:
            policy["review_answers_when"] = legacy
    policy |= {name: spec[name] for name in POLICY_FIELDS if spec.get(name)}
    return policy


def questions_index() -> dict[tuple[str, str], dict]:
    """(bank, key) → category, usage and current type of every question, for validating rules."""
    newest = (
        select(func.max(QuestionVersion.id).label("id"))
        .group_by(QuestionVersion.question_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            QuestionBank.name, Question.key, Question.category, Question.usage, QuestionVersion.type
        )
        .join(Question.bank)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(newest, newest.c.id == QuestionVersion.id)
        .where(Question.archived.is_(False))
    )
    index = {
        (bank, key): {"category": category, "usage": usage.value, "type": qtype, "tags": []}
        for bank, key, category, usage, qtype in rows
    }
    for bank, key, tag in db.session.execute(
        select(QuestionBank.name, Question.key, QuestionTag.tag)
        .join(Question.bank)
        .join(QuestionTag, QuestionTag.question_id == Question.id)
        .where(Question.archived.is_(False))
    ):
        index[(bank, key)]["tags"].append(tag)
    return index


def rules_as_specs(quiz: Quiz) -> list[dict]:
    specs = []
    for rule in quiz.rules:
        if rule.question_id is not None:
            specs.append({"question": f"{rule.question.bank.name}/{rule.question.key}"})
        else:
            specs.append(random_spec(rule.category, rule.tag, rule.usage, rule.count))
    return specs


def random_spec(category, tag, usage, count: int) -> dict:
    """A random rule as quizzes.yaml writes it: only the filters it sets."""
    spec = {"category": category} if category or not (tag or usage) else {}
    if tag:
        spec["tag"] = tag
    if usage:
        spec["usage"] = Usage(usage).value
    return spec | {"count": count}


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
        if name in spec and name not in ("key", "rules", "review_shows_answers", *POLICY_FIELDS):
            setattr(quiz, name, spec[name])
    quiz.purpose = Purpose(spec["purpose"])
    for name in POLICY_FIELDS:
        setattr(quiz, name, ReviewWhen(review_policy(spec)[name]))
    quiz.rules = [
        QuizRule(position=n, question=resolve_question(r["question"]))
        if "question" in r
        else QuizRule(
            position=n,
            category=str(r.get("category") or "").strip("/"),
            tag=r.get("tag") or None,
            usage=Usage(r["usage"]) if r.get("usage") else None,
            count=int(r.get("count", 1)),
        )
        for n, r in enumerate(spec["rules"])
    ]
    db.session.flush()
    if actor is not None:
        record(
            actor, "quiz.create" if created else "quiz.update", quiz, after={"title": quiz.title}
        )
    return quiz

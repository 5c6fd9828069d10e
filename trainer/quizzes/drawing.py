"""Which questions a quiz may draw, by the question's usage (pure, no database).

A practice review may show the right answer at once, so an exam-only question never reaches a
practice quiz; a gating exam (pre-job, final, refresher) draws only exam-only questions, whose
key no trainee can have seen.
"""

from trainer.quizzes.models import Purpose, Usage

GATING = frozenset({Purpose.PRE_JOB, Purpose.FINAL, Purpose.REFRESHER})


def is_gating(purpose) -> bool:
    return Purpose(purpose) in GATING


def drawable_usages(purpose) -> frozenset[Usage]:
    """The usages a quiz of `purpose` may draw (a str or a Purpose)."""
    if is_gating(purpose):
        return frozenset({Usage.EXAM})
    return frozenset({Usage.PRACTICE, Usage.BOTH})


def may_draw(purpose, usage) -> bool:
    return Usage(usage or Usage.BOTH) in drawable_usages(purpose)


def in_category(category: str, prefix: str) -> bool:
    """A category prefix takes its subcategories; the empty prefix takes every category."""
    return not prefix or category == prefix or category.startswith(prefix + "/")


def rule_usages(purpose, usage=None) -> frozenset[Usage]:
    """What a random rule may draw: the purpose's usages, narrowed to the rule's own usage."""
    allowed = drawable_usages(purpose)
    return allowed & {Usage(usage)} if usage else allowed


def rule_takes(rule: dict, purpose, category: str, usage, tags) -> bool:
    """Whether a random rule ({category, tag, usage}) of a quiz of `purpose` may draw a
    question of this category, usage and tags (the type is checked by the caller)."""
    return (
        in_category(category, str(rule.get("category") or "").strip("/"))
        and (not rule.get("tag") or rule["tag"] in tags)
        and Usage(usage or Usage.BOTH) in rule_usages(purpose, rule.get("usage"))
    )

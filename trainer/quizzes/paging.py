"""An attempt's pages and each question's state for the navigation panel and the summary.

Pure rules (no database): the views pass the quiz's `questions_per_page` and the responses.
"""

from dataclasses import dataclass

MAX_QUESTIONS_PER_PAGE = 50


def page_count(questions: int, per_page: int | None) -> int:
    """Pages an attempt of `questions` questions has; None (or 0) puts them all on one page."""
    if questions <= 0:
        return 1
    if not per_page:
        return 1
    return -(-questions // per_page)


def page_of(position: int, per_page: int | None) -> int:
    """The 1-based page of the question at 0-based `position` in the attempt."""
    return 1 if not per_page else position // per_page + 1


def clamp_page(page: int | None, pages: int) -> int:
    """A requested page number kept within 1..pages (a stale link lands on the nearest page)."""
    if page is None:
        return 1
    return min(max(page, 1), pages)


def is_answered(value) -> bool:
    """A saved answer counts as given when it holds anything: text, a choice, a filled blank."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, dict):
        return any(is_answered(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(is_answered(v) for v in value)
    return True


@dataclass(frozen=True)
class QuestionState:
    number: int  # 1-based, as the trainee sees it
    slot: int
    page: int
    answered: bool
    flagged: bool


def question_states(responses, per_page: int | None) -> list[QuestionState]:
    """The state of every question of an attempt, in the order the trainee sees them."""
    return [
        QuestionState(
            number=n + 1,
            slot=r.slot,
            page=page_of(n, per_page),
            answered=is_answered(r.value),
            flagged=bool(r.flagged),
        )
        for n, r in enumerate(responses)
    ]

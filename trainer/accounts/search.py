"""Finding people by what a trainer types: an employee number or the start of a name.

Both are prefix matches so that PostgreSQL answers them from the `*_pattern` indexes
(migration c4d81f2a9e60) instead of reading every user; a name is matched from its first
character, which is how Chinese names are looked up (surname first).
"""

from sqlalchemy import or_

from trainer.accounts.models import User

MAX_QUERY = 40


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def user_matches(query: str):
    """A condition on User: employee number (as typed or in capitals) or name starts with
    `query`."""
    prefix = escape_like(query.strip()[:MAX_QUERY])
    patterns = {prefix + "%", prefix.upper() + "%"}
    return or_(
        *(User.employee_no.like(p, escape="\\") for p in sorted(patterns)),
        User.name.like(prefix + "%", escape="\\"),
    )

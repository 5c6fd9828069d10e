"""Roles and the decorator that guards every route server-side."""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required


class Role(StrEnum):
    TRAINEE = "trainee"
    MENTOR = "mentor"
    TRAINER = "trainer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.TRAINEE: _l("Trainee"),
    Role.MENTOR: _l("Mentor"),
    Role.TRAINER: _l("Trainer"),
    Role.ADMIN: _l("Administrator"),
}

PUBLIC = "public"
ANY_USER = "any user"


def require_role(*roles: Role) -> Callable:
    """Allow a view to logged-in users holding at least one of `roles`; others get 403.

    The roles are kept on the view as `required_roles`, so the authorization-matrix
    test can read every route's policy from the URL map.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not current_user.has_any_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_roles = frozenset(roles)
        return guarded

    return decorator


def any_user(view: Callable) -> Callable:
    """Any logged-in user; the view itself scopes what they may see."""
    guarded = login_required(view)
    guarded.required_roles = ANY_USER
    return guarded


def public(view: Callable) -> Callable:
    """Mark a view as intentionally open to anonymous users (login, verification)."""
    view.required_roles = PUBLIC
    return view

"""What a coaching talk may focus on: suggestions that an analytics feature provides.

Coaching stands below reports (reports show a trainee's coaching talks), so it cannot ask the
reports for a trainee's weak areas. Reports hand in a provider when the app is created
(`provide_focus_options`); without one, a talk simply has no suggested focus.
"""

from collections.abc import Callable

from flask import Flask, current_app

from trainer.accounts.models import User

FOCUS_OPTIONS = "coaching.focus_options"
# (trainee, limit) → [{"kind": ..., "key": ..., "label": ...}], weakest first
FocusOptions = Callable[[User, int], list[dict]]


def provide_focus_options(app: Flask, provider: FocusOptions) -> None:
    app.extensions[FOCUS_OPTIONS] = provider


def focus_options(trainee: User, limit: int = 12) -> list[dict]:
    provider = current_app.extensions.get(FOCUS_OPTIONS)
    return provider(trainee, limit) if provider else []

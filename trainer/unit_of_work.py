"""One unit of work per request: how a view runs a service that changes data.

The view parses its input, then calls the service inside `unit_of_work()`:

    with unit_of_work(success=_("Cohort created.")) as work:
        cohort = create_cohort(current_user, ...)
    if work.failed:
        return render_template(...), 422
    return redirect(...)

On success the session commits (after-commit work runs then, trainer/sessions.py) and the
success message, if any, is flashed. A `DomainError` rolls back and is shown: flashed, or
next to a form field (`field=form.code`), or, for a JSON request, kept as `work.response`
(`{"ok": false, "error": ...}`, 422) for the view to return. Any other exception rolls back
and propagates (a 500, or a view's own `except IntegrityError` for a double submit that
lost the race).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import flash, jsonify, request

from trainer.errors import DomainError
from trainer.extensions import db


@dataclass
class Work:
    """What became of one unit of work; `error` is set when a rule refused it."""

    json: bool = False
    error: DomainError | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def message(self) -> str:
        return self.error.message if self.error is not None else ""

    @property
    def response(self):
        """The JSON answer to a refused request (a view returns it as it is)."""
        return jsonify(ok=False, error=self.message), 422


def wants_json() -> bool:
    """A JSON request, or one whose client asks for JSON above HTML."""
    if request.is_json:
        return True
    # On a tie (e.g. "*/*") the first one offered, HTML, wins.
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@contextmanager
def unit_of_work(
    *,
    success: str | None = None,
    category: str = "danger",
    field=None,
    form=None,
    json: bool | None = None,
    show: bool = True,
) -> Iterator[Work]:
    """Commit what the block did, or roll it back; show a `DomainError` to the user.

    `success` is flashed after the commit. A refusal is flashed in `category`, or shown next
    to the form `field` given (a WTForms field); an error that names its fields (`errors`:
    field name → messages, e.g. `EditError`) is shown at those fields of `form`. With `json`
    (default: what the request asks for) it is left in `work.response` for the view to
    return; with `show=False` the view shows `work.error` itself (an import's problem page).
    """
    work = Work(json=wants_json() if json is None else json)
    try:
        yield work
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        work.error = exc
        if work.json or not show:
            return
        if not _show_at_fields(exc, field, form):
            flash(exc.message, category)
        return
    except BaseException:
        db.session.rollback()
        raise
    if success and not work.json:
        flash(success, "success")


def _show_at_fields(error: DomainError, field, form) -> bool:
    """Put the error's messages next to the form fields they concern; False if none fits."""
    named = getattr(error, "errors", None)
    if form is not None and isinstance(named, dict) and all(hasattr(form, n) for n in named):
        for name, messages in named.items():
            _add_errors(getattr(form, name), messages)
        return True
    if field is not None:
        _add_errors(field, [error.message])
        return True
    return False


def _add_errors(field, messages) -> None:
    field.errors = [*field.errors, *messages]  # a tuple until the form is validated

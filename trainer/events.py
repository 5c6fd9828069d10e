"""Events between features, and work that runs after the commit.

A lower feature never imports a higher one. When something happens that a higher feature
cares about, the lower one *announces* it and the higher one *listens*, registering its
handler in its own `init_app`:

    # quizzes (lower), inside a service:
    events.announce("quizzes.refresher_passed", attempt_id=attempt.id, actor_id=actor.id)
    # certificates (higher), in init_app:
    events.listen(app, "quizzes.refresher_passed", on_refresher_passed, after_commit=True)

A listener with `after_commit=False` runs at once, inside the announcer's transaction (its
changes commit or roll back with it). A listener with `after_commit=True` runs only once that
transaction has committed, in a transaction of its own: the announcer's work stands whatever
the listener does, and nothing runs if the announcer rolls back. The session runs after-commit
work right after the commit (trainer/sessions.py). A failing after-commit handler is logged and
rolled back; durable state ("a trainee at FINAL_PASSED has no certificate") is swept again by a
scheduled job.
"""

from collections import defaultdict
from collections.abc import Callable
from functools import partial

from flask import Flask, current_app

from trainer.extensions import db


class Events:
    """One app's listeners, by event name (`app.extensions["events"]`)."""

    def __init__(self) -> None:
        self._listeners: dict[str, dict[str, tuple[Callable, bool]]] = defaultdict(dict)

    def listen(self, name: str, handler: Callable, *, after_commit: bool = False) -> None:
        """Register `handler(**payload)` for event `name` (idempotent per handler)."""
        key = f"{handler.__module__}.{handler.__qualname__}"
        self._listeners[name][key] = (handler, after_commit)

    def listeners(self, name: str) -> list[tuple[Callable, bool]]:
        return list(self._listeners[name].values())

    def announce(self, name: str, **payload) -> None:
        for handler, deferred in self.listeners(name):
            if deferred:
                after_commit(partial(handler, **payload))
            else:
                handler(**payload)


def app_events() -> Events:
    return current_app.extensions["events"]


def listen(app: Flask, name: str, handler: Callable, *, after_commit: bool = False) -> None:
    app.extensions["events"].listen(name, handler, after_commit=after_commit)


def announce(name: str, **payload) -> None:
    """Tell the listeners of `name` (payload: plain values such as ids, not ORM objects)."""
    app_events().announce(name, **payload)


# ---- after the commit ------------------------------------------------------------------------


def after_commit(callback: Callable[[], object]) -> None:
    """Run `callback()` once the current transaction of `db.session` has committed."""
    db.session().after_commit(callback)


def run_pending() -> int:
    """Run work whose transaction committed but that has not run yet (normally none: the
    session runs it right after each commit)."""
    return db.session().run_after_commit()


def init_app(app: Flask) -> None:
    app.extensions["events"] = Events()

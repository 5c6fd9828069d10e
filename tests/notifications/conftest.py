"""Notification fixtures: the other features' own fixtures (placements and a small plan, a
quiz bank, the shipped scenarios, a checklist) and helpers to read what a user was told."""

import pytest
from sqlalchemy import select

from tests.internship.conftest import (  # noqa: F401  (fixtures)
    make_placement,
    mentor,
    plan,
    sign,
    sign_everything_required,
    task,
)
from tests.practical.conftest import (  # noqa: F401  (fixtures)
    assess,
    checklist,
    checklist_file,
    duty_manager,
    make_finalist,
)
from tests.quizzes.conftest import bank, make_quiz  # noqa: F401  (fixtures)
from tests.roleplay.conftest import complaint, loaded, matcher, scenarios_dir  # noqa: F401
from trainer.notifications.models import Notification
from trainer.notifications.services import text_of, url_of
from trainer.permissions import Role


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, name="王培训")


@pytest.fixture
def notices(app, db):
    """The notifications of `user` (kind, text in English, link), oldest first."""

    def of(user, kind: str | None = None) -> list[tuple[str, str, str | None]]:
        db.session.expire_all()
        query = select(Notification).where(Notification.user_id == user.id)
        if kind:
            query = query.where(Notification.kind == kind)
        rows = db.session.scalars(query.order_by(Notification.id)).all()
        with app.test_request_context():
            return [(n.kind, text_of(n), url_of(n)) for n in rows]

    return of

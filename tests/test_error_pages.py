"""The 500 page still renders when the request died in a failed flush.

Found by bench/load.py: on SQLite under load a write fails with "database is locked"; the
session then refuses every query until rolled back, and the error page's own queries (the
signed-in user's roles for the navigation) failed, leaving Flask's bare fallback page.
"""

import pytest
from flask_login import login_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import InternalServerError

from trainer.accounts.models import User
from trainer.extensions import db
from trainer.permissions import Role


def test_500_page_renders_after_a_failed_flush(app, make_user):
    user = make_user(Role.MENTOR)
    with app.test_request_context("/"):
        login_user(user)
        db.session.expire(user)  # the page loads the roles again, as in a fresh request
        db.session.add(User(employee_no=user.employee_no, name="重复", password_hash="x"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        error = InternalServerError()
        handler = app._find_error_handler(error, [])
        body, status = handler(error)
    assert status == 500
    assert user.name in body  # the normal layout, signed in, not Flask's fallback

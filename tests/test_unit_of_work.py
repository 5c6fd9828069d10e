"""The one unit of work a view runs a service in: commit, or roll back and show the rule."""

from pathlib import Path

import pytest
from flask import get_flashed_messages
from flask_babel import force_locale
from sqlalchemy import func, select

import trainer
from trainer.accounts.forms import HallForm
from trainer.accounts.models import Hall
from trainer.accounts.services import create_hall
from trainer.content.editing import EditError
from trainer.unit_of_work import unit_of_work


def hall_count(db) -> int:
    db.session.rollback()  # read what is committed, not what the session still holds
    return db.session.scalar(select(func.count()).select_from(Hall))


def test_success_commits_and_flashes_the_success_message(app, db):
    with app.test_request_context("/", method="POST"):
        with unit_of_work(success="Hall created.") as work:
            create_hall(None, code="YT-001", name="烟台营业厅")
        assert not work.failed
        assert get_flashed_messages(with_categories=True) == [("success", "Hall created.")]
    assert hall_count(db) == 1


def test_a_domain_error_rolls_back_everything_the_block_wrote(app, db, make_hall):
    make_hall(code="YT-001")
    with app.test_request_context("/", method="POST"):
        with unit_of_work(success="never shown") as work:
            create_hall(None, code="YT-002", name="second")
            create_hall(None, code="YT-001", name="duplicate")
        assert work.failed
        assert get_flashed_messages(with_categories=True) == [
            ("danger", "hall code YT-001 already exists")
        ]
    assert hall_count(db) == 1


def test_the_refusal_is_flashed_in_the_category_asked_for(app, db, make_hall):
    make_hall(code="YT-001")
    with app.test_request_context("/", method="POST"):
        with unit_of_work(category="warning"):
            create_hall(None, code="YT-001", name="duplicate")
        assert [c for c, _ in get_flashed_messages(with_categories=True)] == ["warning"]


@pytest.mark.locale("zh_CN")
def test_the_refusal_is_shown_in_the_readers_language(app, db, make_hall):
    make_hall(code="YT-001")
    with app.test_request_context("/", method="POST"), force_locale("zh_CN"):
        with unit_of_work() as work:
            create_hall(None, code="YT-001", name="duplicate")
        assert work.message == "营业厅代码 YT-001 已存在"
        assert get_flashed_messages() == ["营业厅代码 YT-001 已存在"]


def test_a_json_request_gets_the_refusal_as_json_and_no_flash(app, db, make_hall):
    make_hall(code="YT-001")
    with app.test_request_context("/", method="POST", json={"code": "YT-001"}):
        with unit_of_work(success="never shown") as work:
            create_hall(None, code="YT-001", name="duplicate")
        body, status = work.response
        assert (status, body.get_json()) == (
            422,
            {"ok": False, "error": "hall code YT-001 already exists"},
        )
        assert get_flashed_messages() == []


def test_a_client_asking_for_json_is_answered_in_json(app, db):
    headers = {"Accept": "application/json"}
    with app.test_request_context("/", method="POST", headers=headers):
        with unit_of_work() as work:
            pass
        assert work.json
    with app.test_request_context("/", method="POST", headers={"Accept": "*/*"}):
        with unit_of_work() as work:
            pass
        assert not work.json


def test_any_other_error_rolls_back_and_propagates(app, db):
    with app.test_request_context("/", method="POST"):
        with pytest.raises(ZeroDivisionError), unit_of_work(success="never shown"):
            create_hall(None, code="YT-003", name="lost")
            1 / 0  # noqa: B018
        assert get_flashed_messages() == []
    assert hall_count(db) == 0


def test_a_form_view_can_show_the_refusal_next_to_a_field(app, db, make_hall):
    make_hall(code="YT-001")
    with app.test_request_context("/", method="POST"):
        form = HallForm(meta={"csrf": False})
        with unit_of_work(field=form.code) as work:
            create_hall(None, code="YT-001", name="duplicate")
        assert work.failed
        assert form.code.errors == ["hall code YT-001 already exists"]
        assert get_flashed_messages() == []


def test_a_view_that_shows_the_refusal_itself_gets_it_unflashed(app, db, make_hall):
    make_hall(code="YT-001")
    with app.test_request_context("/", method="POST"):
        with unit_of_work(show=False) as work:
            create_hall(None, code="YT-001", name="duplicate")
        assert work.message == "hall code YT-001 already exists"
        assert get_flashed_messages() == []


def test_an_error_naming_its_fields_is_shown_at_those_fields(app, db):
    with app.test_request_context("/", method="POST"):
        form = HallForm(meta={"csrf": False})
        with unit_of_work(form=form) as work:
            raise EditError({"name": ["name: say what the hall is called"]})
        assert work.failed
        assert form.name.errors == ["name: say what the hall is called"]
        assert get_flashed_messages() == []


def test_no_view_commits_or_rolls_back_by_itself():
    """Every data-changing view goes through unit_of_work (README, "One unit of work")."""
    package = Path(trainer.__file__).parent
    views = [*package.glob("*/views.py"), *package.glob("*/*_views.py")]
    offenders = [
        f"{path.relative_to(package)}:{number}"
        for path in views
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "session.commit(" in line or "session.rollback(" in line
    ]
    assert len(views) > 10
    assert offenders == []

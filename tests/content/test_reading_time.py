"""Minimum reading time of module pages: the first view is recorded by a POST (never by the
GET), "studied" is refused with a clear message until the page has been open long enough,
and a trainer sets the minimum per module (default: derived from each page's length)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from trainer import clock
from trainer.audit.models import AuditEntry
from trainer.content.models import ContentModule, PageStudy, PageView
from trainer.content.reading import default_reading_seconds, required_seconds
from trainer.permissions import Role

PAGE = "/modules/norms/pages/before_opening"


@pytest.fixture(autouse=True)
def reading_time_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "MODULE_READING_TIME", True)


@pytest.fixture
def trainee(client, login_as, make_enrolment, library):
    return login_as(make_enrolment().user)


def studied(db) -> int:
    return db.session.scalar(select(func.count()).select_from(PageStudy))


def norms(db) -> ContentModule:
    return db.session.scalar(select(ContentModule).where(ContentModule.key == "norms"))


@pytest.mark.parametrize(
    "body, seconds",
    [("短", 10), ("字" * 400, 50), ("字 " * 400, 50), ("字" * 5000, 180)],
    ids=["floor", "eight-a-second", "spaces-do-not-count", "ceiling"],
)
def test_the_default_follows_the_length_of_the_page(body, seconds):
    assert default_reading_seconds(body) == seconds


def test_viewing_the_page_records_nothing_the_beacon_records_the_first_view(db, client, trainee):
    assert client.get("/modules/norms").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(PageView)) == 0
    assert client.post(f"{PAGE}/opened").status_code == 204
    first = db.session.scalar(select(PageView.first_viewed_at))
    clock.set_offset(timedelta(minutes=1))
    client.post(f"{PAGE}/opened")
    db.session.expire_all()
    assert db.session.scalar(select(PageView.first_viewed_at)) == first  # the first one stands


def test_studied_too_early_is_refused_with_the_seconds_left(db, client, trainee):
    client.post(f"{PAGE}/opened")
    needed = required_seconds(norms(db).pages[0])
    clock.set_offset(timedelta(seconds=needed - 5))
    response = client.post(f"{PAGE}/studied", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Please read this page a little longer" in html
    assert "in 5 seconds" in html and studied(db) == 0


def test_studied_after_the_minimum_counts(db, client, trainee):
    client.post(f"{PAGE}/opened")
    clock.set_offset(timedelta(seconds=required_seconds(norms(db).pages[0])))
    client.post(f"{PAGE}/studied")
    assert studied(db) == 1


def test_a_script_clicking_through_every_page_studies_none(db, client, trainee):
    module = norms(db)
    for page in module.pages:
        client.post(f"/modules/norms/pages/{page.key}/opened")
        client.post(f"/modules/norms/pages/{page.key}/studied")
    assert studied(db) == 0


def test_without_the_beacon_the_first_click_starts_the_clock(db, client, trainee):
    client.post(f"{PAGE}/studied")  # no JavaScript: this click records the first view
    assert studied(db) == 0
    clock.set_offset(timedelta(minutes=5))
    client.post(f"{PAGE}/studied")
    assert studied(db) == 1


@pytest.mark.locale("zh_CN")
def test_the_message_is_translated(db, client, trainee):
    html = client.post(f"{PAGE}/studied", follow_redirects=True).get_data(as_text=True)
    assert "请再多读一会儿" in html


def test_a_trainer_sets_the_minimum_for_a_module_and_it_is_audited(
    db, client, login_as, make_user, library
):
    login_as(make_user(Role.TRAINER))
    assert 'data-testid="reading-time-form"' in client.get("/modules/norms").get_data(as_text=True)
    client.post("/modules/norms/reading-time", data={"seconds": "240"})
    module = norms(db)
    assert module.min_reading_seconds == 240
    assert all(required_seconds(page) == 240 for page in module.pages)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "module.reading_time"))
    client.post("/modules/norms/reading-time", data={"seconds": ""})
    db.session.expire_all()
    assert norms(db).min_reading_seconds is None


def test_a_trainee_cannot_set_the_minimum(db, client, trainee):
    assert client.post("/modules/norms/reading-time", data={"seconds": "0"}).status_code == 403
    assert norms(db).min_reading_seconds is None


def test_a_trainers_zero_lets_pages_be_studied_at_once(db, client, trainee):
    norms(db).min_reading_seconds = 0
    db.session.commit()
    client.post(f"{PAGE}/studied")
    assert studied(db) == 1

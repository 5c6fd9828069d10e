"""The notification centre: the bell's count, the list (paginated), opening one marks it
read and follows its link, mark all read, the e-mail preference; a GET never marks read."""

import re

import pytest
from sqlalchemy import select

from trainer.notifications import kinds
from trainer.notifications.models import Notification, NotificationPreference
from trainer.notifications.services import PAGE_SIZE, Link, notify
from trainer.permissions import Role


@pytest.fixture
def told(db, make_user):
    """A trainee with `n` unread notifications (certificate notices, linking to the dashboard)."""

    def make(n: int, user=None):
        user = user or make_user(Role.TRAINEE)
        for i in range(n):
            notify(
                user,
                kinds.CERTIFICATE_ISSUED,
                key=f"test:{i}",
                link=Link.to("practical.mine"),
                serial=f"SG-2026-{i:05d}",
            )
        db.session.commit()
        return user

    return make


def bell_count(page: str) -> int:
    return int(re.search(r'data-testid="notification-bell" data-count="(\d+)"', page).group(1))


def test_the_bell_shows_the_unread_count_on_every_page(client, login_as, told):
    login_as(told(3))
    assert bell_count(client.get("/").get_data(as_text=True)) == 3


def test_the_list_is_paginated_newest_first(client, login_as, told):
    login_as(told(PAGE_SIZE + 5))
    first = client.get("/notifications/").get_data(as_text=True)
    assert first.count('data-testid="notification"') == PAGE_SIZE
    assert f"SG-2026-{PAGE_SIZE + 4:05d}" in first
    second = client.get("/notifications/?page=2").get_data(as_text=True)
    assert second.count('data-testid="notification"') == 5 and "SG-2026-00000" in second


def test_viewing_the_list_marks_nothing_read(client, login_as, told):
    login_as(told(2))
    client.get("/notifications/")
    assert bell_count(client.get("/").get_data(as_text=True)) == 2


def test_opening_one_marks_it_read_and_follows_its_link(client, login_as, told, db):
    user = told(2)
    login_as(user)
    first = db.session.scalars(select(Notification).where(Notification.user_id == user.id)).first()
    response = client.post(f"/notifications/{first.id}/open")
    assert (response.status_code, response.headers["Location"]) == (302, "/practical/my")
    assert bell_count(client.get("/").get_data(as_text=True)) == 1


def test_mark_all_read(client, login_as, told):
    login_as(told(4))
    client.post("/notifications/read-all")
    assert bell_count(client.get("/").get_data(as_text=True)) == 0


def test_someone_elses_notification_is_404(client, login_as, told, db, make_user):
    owner = told(1)
    notification = db.session.scalars(select(Notification)).one()
    login_as(make_user(Role.TRAINEE))
    assert client.post(f"/notifications/{notification.id}/open").status_code == 404
    assert client.post(f"/notifications/{notification.id}/read").status_code == 404
    db.session.refresh(notification)
    assert notification.unread and notification.user_id == owner.id


def test_turning_email_off_is_saved(client, login_as, make_user, db):
    user = login_as(make_user(Role.MENTOR))
    client.post("/notifications/preferences", data={})
    assert db.session.get(NotificationPreference, user.id).email is False
    client.post("/notifications/preferences", data={"email": "y"})
    db.session.expire_all()
    assert db.session.get(NotificationPreference, user.id).email is True


@pytest.mark.locale("zh_CN")
def test_the_text_is_rendered_in_the_readers_language(client, login_as, told):
    login_as(told(1))
    page = client.get("/notifications/").get_data(as_text=True)
    assert "你的上岗证 SG-2026-00000 已颁发。" in page


def test_an_english_reader_sees_the_same_notification_in_english(client, login_as, told):
    user = told(1)
    login_as(user)
    client.post("/language", data={"locale": "en", "next": "/"})
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Your post certificate SG-2026-00000 was issued." in page

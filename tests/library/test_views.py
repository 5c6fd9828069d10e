"""The library status page: role-checked, read-only on GET, resolutions by POST."""

from sqlalchemy import func, select

from trainer.library.models import LibraryItem
from trainer.permissions import Role


def test_a_trainee_may_not_see_the_library_status(client, login_as, make_user, library_files):
    login_as(make_user(Role.TRAINEE))

    assert client.get("/library/status").status_code == 403


def test_the_status_page_shows_a_conflict_with_both_texts(client, login_as, conflict, db):
    login_as(conflict.trainer)
    before = db.session.scalar(select(func.count()).select_from(LibraryItem))

    page = client.get("/library/status").get_data(as_text=True)

    assert conflict.key_in_report in page
    assert "界面里改过的文字" in page and "文件里改过的文字" in page
    assert db.session.scalar(select(func.count()).select_from(LibraryItem)) == before


def test_a_trainer_takes_the_file_from_the_page(client, login_as, conflict):
    login_as(conflict.trainer)

    response = client.post(
        "/library/status/resolve",
        data={"kind": conflict.name, "key": conflict.key_in_report, "resolution": "take_file"},
    )

    assert response.status_code == 302
    assert conflict.current() == "文件里改过的文字"


def test_a_bad_merge_is_shown_again_with_its_problems(client, login_as, conflict):
    login_as(conflict.trainer)

    response = client.post(
        "/library/status/resolve",
        data={
            "kind": conflict.name,
            "key": conflict.key_in_report,
            "resolution": "merge",
            "text": "key: other\n",
        },
    )

    assert response.status_code == 422
    assert conflict.current() == "界面里改过的文字"

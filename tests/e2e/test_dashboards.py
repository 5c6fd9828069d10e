import pytest

from trainer.permissions import Role


@pytest.mark.parametrize(
    ("role", "dashboard"),
    [
        (Role.TRAINEE, "trainee"),
        (Role.MENTOR, "mentor"),
        (Role.TRAINER, "trainer"),
        (Role.ADMIN, "admin"),
    ],
)
def test_each_role_lands_on_its_own_dashboard(
    page, browser_login, make_user, make_enrolment, role, dashboard, screenshot
):
    user = make_user(role)
    if role is Role.TRAINEE:
        make_enrolment(trainee=user)
    browser_login(page, user)
    assert page.locator(f"[data-dashboard={dashboard}]").is_visible()
    assert user.name in page.locator("nav").inner_text()
    screenshot(page, dashboard)


def test_trainee_dashboard_shows_the_path_in_chinese(page, browser_login, make_enrolment):
    enrolment = make_enrolment()
    browser_login(page, enrolment.user)
    panel = page.locator("#panel-path-title")
    assert panel.inner_text() == "我的上岗之路"

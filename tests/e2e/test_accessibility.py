"""axe-core on the main pages: no serious or critical accessibility violations."""

import pytest

from trainer.permissions import Role

PAGES_BY_ROLE = {
    Role.TRAINEE: ["/", "/my/path", "/account/password"],
    Role.TRAINER: ["/", "/cohorts", "/cohorts/new", "/audit/"],
    Role.ADMIN: ["/", "/admin/users", "/admin/users/new", "/admin/halls"],
}


def test_login_page_has_no_serious_violations(new_page, serious_a11y_violations):
    page = new_page(bypass_csp=True)
    page.goto("/login")
    assert serious_a11y_violations(page) == []


@pytest.mark.parametrize("role", list(PAGES_BY_ROLE), ids=str)
def test_main_pages_have_no_serious_violations(
    new_page, browser_login, make_user, make_enrolment, serious_a11y_violations, role
):
    user = make_user(role)
    if role is Role.TRAINEE:
        make_enrolment(trainee=user)
    page = browser_login(new_page(bypass_csp=True), user)
    found = {}
    for path in PAGES_BY_ROLE[role]:
        page.goto(path)
        if violations := serious_a11y_violations(page):
            found[path] = violations
    assert found == {}

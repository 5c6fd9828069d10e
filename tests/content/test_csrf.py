"""POSTs of the content feature need the CSRF token (the test app disables CSRF, so build one)."""

from tests.conftest import PASSWORD


def test_marking_a_page_without_the_token_is_refused(csrf_client, make_enrolment, library):
    enrolment = make_enrolment()
    login_page = csrf_client.get("/login").get_data(as_text=True)
    token = login_page.split('name="csrf-token" content="')[1].split('"')[0]
    response = csrf_client.post(
        "/login",
        data={"employee_no": enrolment.user.employee_no, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    response = csrf_client.post("/modules/norms/pages/before_opening/studied")
    assert response.status_code == 400

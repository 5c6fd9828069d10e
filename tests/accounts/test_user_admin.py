"""The administrators' user pages: imports as Chinese Excel saves them, the template, the list
(search, filters, pages, bulk deactivation), first-login password change and password reset."""

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer.accounts.models import User
from trainer.accounts.services import CsvImportError, import_users_file
from trainer.audit.models import AuditEntry
from trainer.permissions import Role

HEADER = ["employee_no", "name", "roles", "hall_code", "email", "phone", "password"]


def excel_csv(rows: list[list[str]], encoding: str = "gb18030") -> bytes:
    """A CSV as Chinese Excel saves it: the system code page and CRLF line ends."""
    return "\r\n".join(",".join(row) for row in [HEADER, *rows]).encode(encoding) + b"\r\n"


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str):
    return client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def user(db, employee_no: str) -> User | None:
    return db.session.scalar(select(User).where(User.employee_no == employee_no))


def audited(db, action: str, target: User) -> bool:
    return (
        db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == action, AuditEntry.target_id == str(target.id)
            )
        )
        is not None
    )


def test_a_gb18030_csv_from_chinese_excel_is_imported(db, client, login_as, make_user, make_hall):
    login_as(make_user(Role.ADMIN))
    make_hall(code="YT-001")
    data = excel_csv([["E901", "欧阳娜娜", "trainee", "YT-001", "", "", ""]])
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the point of the test: this is not UTF-8
    response = upload(client, data, "新员工.csv")
    assert response.status_code == 200
    imported = user(db, "E901")
    assert (imported.name, imported.hall.code) == ("欧阳娜娜", "YT-001")
    assert imported.must_change_password
    assert 'data-testid="temporary-password"' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["utf-8", "utf-8-bom"])
def test_utf8_with_or_without_bom_is_read_as_utf8(db, make_user, prefix):
    data = prefix + excel_csv([["E902", "张三丰", "trainee|mentor", "", "", "", ""]], "utf-8")
    [created] = import_users_file(make_user(Role.ADMIN), data, "u.csv")
    assert (created.name, created.roles) == ("张三丰", {Role.TRAINEE, Role.MENTOR})


def test_text_that_is_neither_utf8_nor_gb18030_is_refused_with_its_line(db, make_user):
    data = excel_csv([["E903", "李四", "trainee", "", "", "", ""]], "utf-8") + b"E904,\xff\xff\r\n"
    with pytest.raises(CsvImportError) as raised:
        import_users_file(make_user(Role.ADMIN), data, "u.csv")
    [problem] = raised.value.problems
    assert problem.line == 3 and "GB18030" in problem.message
    assert user(db, "E903") is None


def test_an_xlsx_workbook_is_imported(db, client, login_as, make_user):
    login_as(make_user(Role.ADMIN))
    response = upload(
        client, xlsx([["E905", "王芳", "mentor", None, None, 13800138000, None]]), "u.xlsx"
    )
    assert response.status_code == 200
    imported = user(db, "E905")
    assert (imported.name, imported.phone, imported.roles) == ("王芳", "13800138000", {Role.MENTOR})


def test_xlsx_errors_name_the_row_and_field_and_import_nothing(db, client, login_as, make_user):
    login_as(make_user(Role.ADMIN))
    rows = [["E906", "赵敏", "trainee"], ["E907", "", "boss"]]
    response = upload(client, xlsx(rows), "u.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<td>3</td><td><code>name</code>" in page and "<td>3</td><td><code>roles</code>" in page
    assert user(db, "E906") is None


def test_a_file_that_is_no_workbook_is_refused(db, make_user):
    with pytest.raises(CsvImportError) as raised:
        import_users_file(make_user(Role.ADMIN), b"PK\x03\x04broken", "u.xlsx")
    assert "XLSX" in raised.value.problems[0].message


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_downloaded_template_imports_as_it_is(db, client, login_as, make_user, fmt):
    login_as(make_user(Role.ADMIN))
    template = client.get(f"/admin/users/template.{fmt}")
    assert template.status_code == 200
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(template.data)).active
        assert [c.value for c in sheet[1]] == HEADER
    assert upload(client, template.data, f"template.{fmt}").status_code == 200
    assert user(db, "E1001").name == "王晓燕" and user(db, "M1001").roles == {
        Role.MENTOR,
        Role.TRAINEE,
    }


@pytest.mark.locale("zh_CN")
def test_import_problems_are_in_the_readers_language(db, client, login_as, make_user):
    login_as(make_user(Role.ADMIN))
    page = upload(client, excel_csv([["E908", "", "trainee", "YT-999", "", "", ""]]), "u.csv")
    text = page.get_data(as_text=True)
    assert "为空" in text and "未知营业厅 YT-999" in text


def test_a_new_account_must_change_its_password_at_first_login(db, client, login_as, make_user):
    admin = make_user(Role.ADMIN)
    login_as(admin)
    client.post(
        "/admin/users/new",
        data={
            "employee_no": "E910",
            "name": "陈静",
            "roles": ["trainee"],
            "hall_id": 0,
            "password": "given-by-admin-1",
            "active": "y",
        },
    )
    client.post("/logout")
    newcomer = user(db, "E910")
    login_as(newcomer, "given-by-admin-1")
    assert client.get("/").headers["Location"].endswith("/account/password")
    assert client.get("/verify").status_code == 200  # public pages stay public
    response = client.post(
        "/account/password",
        data={
            "current_password": "given-by-admin-1",
            "new_password": "my-own-secret-9",
            "confirm": "my-own-secret-9",
        },
    )
    assert response.status_code == 302
    db.session.refresh(newcomer)
    assert not newcomer.must_change_password
    assert client.get("/").status_code == 200
    assert audited(db, "user.password_change", newcomer)


def test_an_admin_reset_shows_a_temporary_password_once_and_forces_a_change(
    db, app, client, login_as, make_user
):
    admin, staff = make_user(Role.ADMIN), make_user(Role.TRAINEE)
    login_as(admin)
    response = client.post(f"/admin/users/{staff.id}/reset-password")
    page = response.get_data(as_text=True)
    temporary = page.split('data-testid="temporary-password">')[1].split("<")[0]
    assert response.headers["Cache-Control"] == "no-store" and len(temporary) == 12
    assert audited(db, "user.password_reset", staff)
    other = app.test_client()
    refused = other.post("/login", data={"employee_no": staff.employee_no, "password": PASSWORD})
    assert refused.status_code == 200  # the old password no longer works
    other.post("/login", data={"employee_no": staff.employee_no, "password": temporary})
    assert other.get("/").headers["Location"].endswith("/account/password")


def test_the_list_searches_filters_and_pages(
    db, client, login_as, make_user, make_hall, make_enrolment
):
    login_as(make_user(Role.ADMIN, employee_no="A0001"))
    hall = make_hall()
    for n in range(55):
        make_user(Role.TRAINEE, employee_no=f"P{n:03d}", name=f"学员{n}")
    make_user(Role.MENTOR, employee_no="M100", name="带教甲", hall=hall)
    enrolled = make_enrolment(make_user(Role.TRAINEE, employee_no="S100", name="在培丙"))

    def numbers(query: str) -> list[str]:
        page = client.get("/admin/users?" + query).get_data(as_text=True)
        return [
            u.employee_no
            for u in db.session.scalars(select(User))
            if f">{u.employee_no}</a>" in page
        ]

    assert numbers("q=带教") == ["M100"]
    assert numbers("role=mentor") == ["M100"]
    assert numbers(f"hall_id={hall.id}") == ["M100"]
    assert numbers(f"stage={enrolled.stage.value}") == [enrolled.user.employee_no]
    first, second = numbers("role=trainee"), numbers("role=trainee&page=2")
    assert len(first) == 50 and len(second) == 6 and not set(first) & set(second)


def test_bulk_deactivation_spares_the_admin_and_is_audited(db, client, login_as, make_user):
    admin = login_as(make_user(Role.ADMIN))
    a, b = make_user(Role.TRAINEE), make_user(Role.MENTOR)
    client.post("/admin/users/deactivate", data={"user_ids": [a.id, b.id, admin.id]})
    for u in (a, b, admin):
        db.session.refresh(u)
    assert (a.active, b.active, admin.active) == (False, False, True)
    assert audited(db, "user.deactivate", a) and audited(db, "user.deactivate", b)
    assert client.get("/admin/users?active=0").get_data(as_text=True).count("user_ids") == 2


def test_roles_may_be_written_as_their_chinese_labels(db, make_user):
    data = excel_csv([["E911", "周敏", "学员、带教师傅", "", "", "", ""]])
    [created] = import_users_file(make_user(Role.ADMIN), data, "u.csv")
    assert created.roles == {Role.TRAINEE, Role.MENTOR}

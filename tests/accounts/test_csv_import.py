import pytest
from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.accounts.services import CsvImportError, import_users_csv
from trainer.permissions import Role

HEADER = "employee_no,name,roles,hall_code,email,phone,password\n"


def user_count(db):
    return db.session.scalar(select(func.count()).select_from(User))


def test_valid_file_creates_every_user_with_roles_and_hall(db, make_hall, make_user):
    admin, hall = make_user(Role.ADMIN), make_hall(code="YT-9")
    created = import_users_csv(
        admin,
        HEADER + "E1,张三,trainee,YT-9,,,secret-pass\nM1,李四,mentor|trainer,,li@example.com,,\n",
    )
    assert [(u.employee_no, u.roles, u.hall) for u in created] == [
        ("E1", {Role.TRAINEE}, hall),
        ("M1", {Role.MENTOR, Role.TRAINER}, None),
    ]


def test_one_bad_row_imports_nothing_and_names_line_and_field(db, make_user):
    admin = make_user(Role.ADMIN)
    before = user_count(db)
    with pytest.raises(CsvImportError) as raised:
        import_users_csv(admin, HEADER + "E1,张三,trainee,,,,secret-pass\nE2,,boss,NOPE,,,x\n")
    db.session.rollback()
    assert {(e.line, e.field) for e in raised.value.errors} == {
        (3, "name"),
        (3, "roles"),
        (3, "hall_code"),
        (3, "password"),
    }
    assert user_count(db) == before


def test_duplicate_employee_numbers_are_reported_on_the_second_line(db, make_user):
    admin = make_user(Role.ADMIN, employee_no="A1")
    with pytest.raises(CsvImportError) as raised:
        import_users_csv(
            admin, HEADER + "E1,张三,trainee,,,,\nE1,王五,trainee,,,,\nA1,赵六,trainee,,,,\n"
        )
    assert [(e.line, e.field) for e in raised.value.errors] == [
        (3, "employee_no"),
        (4, "employee_no"),
    ]


def test_missing_and_unknown_columns_are_reported_on_line_1(db, make_user):
    with pytest.raises(CsvImportError) as raised:
        import_users_csv(make_user(Role.ADMIN), "employee_no,nam,roles\nE1,张三,trainee\n")
    assert {(e.line, e.field, e.message) for e in raised.value.errors} == {
        (1, "name", "missing column"),
        (1, "nam", "unknown column"),
    }


def test_excel_bom_is_ignored(db, make_user):
    created = import_users_csv(make_user(Role.ADMIN), "\ufeff" + HEADER + "E1,张三,trainee,,,,\n")
    assert created[0].employee_no == "E1"


def test_upload_page_shows_errors_and_keeps_nothing(client, login_as, make_user, db):
    login_as(make_user(Role.ADMIN))
    before = user_count(db)
    response = client.post(
        "/admin/users/import",
        data={"file": (__import__("io").BytesIO((HEADER + "E1,,trainee,,,,\n").encode()), "u.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "name" in response.get_data(as_text=True)
    assert user_count(db) == before


def test_upload_refuses_files_that_are_not_csv(client, login_as, make_user):
    login_as(make_user(Role.ADMIN))
    response = client.post(
        "/admin/users/import",
        data={"file": (__import__("io").BytesIO(b"MZ\x90\x00"), "virus.exe")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "A .csv or .xlsx file only." in response.get_data(as_text=True)

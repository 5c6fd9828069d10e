"""CSV and XLSX files that spreadsheet programs open as data, never as formulas.

A cell of text starting with `= + - @`, a tab or a carriage return is run as a formula by
Excel, WPS and LibreOffice (a trainee's drill reply `=HYPERLINK(…)` would pull other rows
into an external link). Every text cell is prefixed with an apostrophe (OWASP's advice), and
XLSX text cells are written with the string type, so openpyxl never stores a formula.
Numbers, booleans and dates stay typed values. Every export goes through this module.
"""

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator

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
    buffer = io.BytesIO()
    write_xlsx(buffer, title, header, rows)
    return buffer.getvalue()


CSV_CHUNK_ROWS = 500  # rows per yielded piece: few writes, and memory stays small


def csv_stream(header: list[str], rows: Iterable[Iterable], *, bom: bool = True) -> Iterator[bytes]:
    """The same CSV as `csv_bytes`, produced piece by piece (for a streamed response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    writer.writerow([csv_cell(h) for h in header])
    pending = 0
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        pending += 1
        if pending >= CSV_CHUNK_ROWS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


def write_xlsx(target, title: str, header: list[str], rows: Iterable[Iterable]) -> int:
    """Write one sheet to `target` (a path or a binary file) in openpyxl's write-only mode,
    which keeps only the current row in memory. Returns the number of data rows."""
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
    count = 0
    for row in rows:
        # A neutralised text never starts with "=", so openpyxl stores it as a string; only
        # the header goes through WriteOnlyCell (a cell object per value costs more than
        # the rest of the export).
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
        count += 1
    workbook.save(target)
    return count


FILE_CHUNK = 64 * 1024


def xlsx_stream(title: str, header: list[str], rows: Iterable[Iterable]) -> Iterator[bytes]:
    """The workbook built in a temporary file (a zip is only complete at its end), then sent
    in pieces; the file is removed when the last piece is read or the client goes away."""
    handle, path = tempfile.mkstemp(prefix="export-", suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(path, title, header, rows)
        with open(path, "rb") as file:
            while piece := file.read(FILE_CHUNK):
                yield piece
    finally:
        os.unlink(path)

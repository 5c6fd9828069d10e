"""Reading the users file an administrator uploads: CSV as Excel saves it, or XLSX.

Chinese Excel saves "CSV" in the system code page (GB18030/GBK), other tools in UTF-8 with or
without a BOM. UTF-8 is self-validating (a GBK file of Chinese names is never valid UTF-8), so
the rule needs no guessing library: a BOM or a clean UTF-8 decode means UTF-8, anything else
must decode as GB18030 or the file is refused. XLSX files are read with openpyxl, first sheet.
Both give the same thing: the header and the rows, each row with its line (row) number.
"""

import codecs
import csv
import io
import zipfile

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from trainer.source_files import Problem

# (line, {column: value}) for every data row; the header is line 1
Rows = list[tuple[int, dict[str, str]]]
TEMPLATE_EXAMPLE = (
    ("E1001", "王晓燕", "trainee", "", "", "13800000000", ""),
    ("M1001", "李建国", "mentor|trainee", "", "lijg@example.cn", "", ""),
)


class UnreadableFile(ValueError):
    """The upload is neither UTF-8, GB18030 nor a workbook; `problem` says which."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def decode_text(data: bytes, file: str) -> str:
    """The text of a CSV saved as UTF-8 (BOM or not) or GB18030/GBK; raises UnreadableFile."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableFile(
            Problem(file, line, "", _l("The file is neither UTF-8 nor GB18030 (GBK) text."))
        ) from None


def csv_rows(data: bytes, file: str) -> tuple[list[str], Rows]:
    reader = csv.reader(io.StringIO(decode_text(data, file), newline=""))
    header: list[str] = []
    rows: Rows = []
    for values in reader:
        if not header:
            header = [v.strip() for v in values]
            continue
        if not any(v.strip() for v in values):
            continue
        rows.append((reader.line_num, dict(zip(header, (v.strip() for v in values), strict=False))))
    return header, rows


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed into a number cell
    return str(value).strip()


def xlsx_rows(data: bytes, file: str) -> tuple[list[str], Rows]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableFile(
            Problem(file, None, "", _l("The file is not an XLSX workbook."))
        ) from None
    try:
        sheet = workbook.worksheets[0]
        header: list[str] = []
        rows: Rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            texts = [cell_text(v) for v in values]
            if not header:
                header = texts
                while header and not header[-1]:
                    header.pop()
                continue
            if any(texts):
                rows.append((number, dict(zip(header, texts, strict=False))))
        return header, rows
    finally:
        workbook.close()


def read_users_file(data: bytes, file: str) -> tuple[list[str], Rows]:
    """Header and rows of an uploaded users file, by its content (XLSX is a zip)."""
    if data.startswith(b"PK\x03\x04") or file.lower().endswith(".xlsx"):
        return xlsx_rows(data, file)
    return csv_rows(data, file)

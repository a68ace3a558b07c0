"""The invoice ledger (reskontra) as CSV and XLSX: one row per invoice and credit note.

CSV for Swedish Excel: UTF-8 with a byte order mark (without it Excel reads the file as
Windows-1252 and garbles å, ä, ö), `;` between fields (the list separator of the Swedish locale;
a comma would split nothing and put every row in one cell), decimal comma in amounts (Swedish
Excel reads "12345,50" as a number and "12345.50" as text), ISO dates, CRLF line ends (RFC 4180).
A credit note's amounts are negative in both files, so a column sums to what is owed.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bibblix.lib.money import kronor_decimal


class LedgerRowLike(Protocol):
    """The fields of billing.services.LedgerRow the ledger files show."""

    number: str
    kind: str
    issuer: str
    buyer: str
    ocr: str
    issue_date: datetime.date
    due_date: datetime.date | None
    period_start: datetime.date | None
    period_end: datetime.date | None
    net_ore: int
    vat_ore: int
    total_ore: int
    credited_ore: int
    paid_ore: int
    state: str
    is_overdue: bool


COLUMNS = (
    "number",
    "kind",
    "issue_date",
    "issuer",
    "buyer",
    "ocr",
    "period_start",
    "period_end",
    "net",
    "vat",
    "total",
    "credited",
    "paid",
    "due",
    "state",
    "overdue",
)
AMOUNTS = {"net", "vat", "total", "credited", "paid"}
DATES = {"issue_date", "period_start", "period_end", "due"}
KR_FORMAT = '#,##0.00 "kr"'


def ledger_csv(rows: Iterable[LedgerRowLike]) -> bytes:
    """The ledger as CSV that Swedish Excel opens correctly (see the module's docstring)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = _values(row)
        writer.writerow([_csv_cell(name, values[name]) for name in COLUMNS])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def ledger_xlsx(rows: Iterable[LedgerRowLike]) -> bytes:
    """The ledger as an Excel workbook: amounts as numbers shown in kr, dates as dates."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Reskontra"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = _values(row)
        sheet.append([_xlsx_cell(name, values[name]) for name in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a name, never a formula
    for index, name in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        number_format = KR_FORMAT if name in AMOUNTS else "yyyy-mm-dd" if name in DATES else None
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        sheet.column_dimensions[letter].width = 16 if name in AMOUNTS | DATES else 14
    sheet.column_dimensions[get_column_letter(COLUMNS.index("buyer") + 1)].width = 30
    sheet.column_dimensions[get_column_letter(COLUMNS.index("issuer") + 1)].width = 30
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _values(row: LedgerRowLike) -> dict:
    sign = -1 if row.kind == "credit_note" else 1
    return {
        "number": row.number,
        "kind": row.kind,
        "issue_date": row.issue_date,
        "issuer": row.issuer,
        "buyer": row.buyer,
        "ocr": row.ocr,
        "period_start": row.period_start,
        "period_end": row.period_end,
        "net": sign * row.net_ore,
        "vat": sign * row.vat_ore,
        "total": sign * row.total_ore,
        "credited": row.credited_ore,
        "paid": row.paid_ore,
        "due": row.due_date,
        "state": row.state,
        "overdue": "yes" if row.is_overdue else "no",
    }


def _csv_cell(name: str, value) -> str:
    if value is None:
        return ""
    if name in AMOUNTS:
        return kronor_decimal(value).replace(".", ",")
    if name in DATES:
        return value.isoformat()
    # A text starting with = + - @ would be run as a formula by a spreadsheet.
    return f"'{value}" if str(value)[:1] in ("=", "+", "-", "@") else str(value)


def _xlsx_cell(name: str, value):
    if name in AMOUNTS:
        return Decimal(value).scaleb(-2)
    return value

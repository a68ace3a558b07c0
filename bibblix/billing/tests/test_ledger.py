import csv
import datetime
import io

from openpyxl import load_workbook

from bibblix.billing.documents.ledger import ledger_csv, ledger_xlsx

from .document_samples import ledger_row

ROWS = [
    ledger_row(state="partly_paid", paid_ore=1_234_550, is_overdue=True),
    ledger_row(
        invoice_id=2,
        number="2026-0002",
        kind="credit_note",
        ocr="",
        due_date=None,
        net_ore=101,
        vat_ore=25,
        total_ore=126,
        state="credited",
        buyer='=HYPERLINK("x") Älvsby',
    ),
]


def test_csv_opens_in_swedish_excel_semicolons_decimal_comma_and_bom():
    data = ledger_csv(ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    for column in ("number", "issuer", "buyer", "ocr", "total", "paid", "due", "state", "overdue"):
        assert column in rows[0]
    assert rows[0]["total"] == "62500,00"
    assert rows[0]["paid"] == "12345,50"
    assert rows[0]["due"] == "2026-02-14"
    assert rows[0]["state"] == "partly_paid"
    assert rows[0]["overdue"] == "yes"
    assert rows[0]["issuer"] == "Sambruk ideell förening"


def test_csv_writes_credit_notes_negative_and_names_never_as_formulas():
    credit = list(
        csv.DictReader(io.StringIO(ledger_csv(ROWS)[3:].decode(), newline=""), delimiter=";")
    )[1]
    assert (credit["net"], credit["vat"], credit["total"]) == ("-1,01", "-0,25", "-1,26")
    assert credit["due"] == ""
    assert credit["overdue"] == "no"
    assert credit["buyer"] == '\'=HYPERLINK("x") Älvsby'


def test_xlsx_has_amounts_as_numbers_in_kr_and_dates_as_dates():
    sheet = load_workbook(io.BytesIO(ledger_xlsx(ROWS))).active
    header = [cell.value for cell in sheet[1]]
    values = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert values["total"].value == 62500
    assert values["paid"].value == 12345.5
    assert "kr" in values["paid"].number_format
    assert values["due"].value == datetime.datetime(2026, 2, 14)
    assert values["due"].is_date
    assert values["overdue"].value == "yes"
    credit = {name: cell for name, cell in zip(header, sheet[3], strict=True)}
    assert credit["total"].value == -1.26
    assert credit["buyer"].data_type == "s"
    assert credit["buyer"].value == '=HYPERLINK("x") Älvsby'

import datetime
import re

import pytest

from bibblix.billing.documents.checks import DocumentError
from bibblix.billing.documents.sie import (
    DEFAULT_ACCOUNTS,
    Transaction,
    Voucher,
    invoice_voucher,
    payment_voucher,
    sie_file,
)

from .document_samples import SELLER, credit_note, document, line, outside_vat_line

JAN_15 = datetime.date(2026, 1, 15)


def parse(data: bytes) -> tuple[list[list[str]], list[dict]]:
    """Read a SIE file back: the header records and the vouchers with their #TRANS rows."""
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    records, vouchers = [], []
    for raw in data.decode("cp437").split("\r\n")[:-1]:
        fields = [
            re.sub(r"\\(.)", r"\1", quoted) if quoted or not bare else bare
            for quoted, bare in re.findall(r'"((?:[^"\\]|\\.)*)"|(\{[^}]*\}|[^\s"]+)', raw)
        ]
        if fields[0] == "#VER":
            vouchers.append({"fields": fields[1:], "trans": []})
        elif fields[0] == "#TRANS":
            vouchers[-1]["trans"].append((fields[1], fields[2], fields[3]))
        elif fields[0] not in ("{", "}"):
            records.append(fields)
    return records, vouchers


def ore(kronor: str) -> int:
    whole, _, decimals = kronor.partition(".")
    assert len(decimals) == 2
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int(decimals))


def test_invoice_voucher_debits_receivables_and_credits_revenue_and_vat():
    doc = document(line(5_000_000), line(1_000_000, "Anslutningsavgift"))  # 60 000 + 15 000 moms
    voucher = invoice_voucher(doc)
    assert voucher.transactions == (
        Transaction("1510", 7_500_000),
        Transaction("3001", -6_000_000),
        Transaction("2611", -1_500_000),
    )
    assert voucher.text == "Faktura 2026-0001 Ale kommun"
    assert voucher.series == "F" and voucher.date == JAN_15


def test_credit_note_voucher_is_the_invoice_reversed():
    doc = credit_note()  # 25 205,48 kr + 6 301,37 kr moms
    assert invoice_voucher(doc).transactions == (
        Transaction("1510", -3_150_685),
        Transaction("3001", 2_520_548),
        Transaction("2611", 630_137),
    )


def test_outside_vat_invoice_has_no_vat_row_and_uses_the_mapping_given():
    accounts = DEFAULT_ACCOUNTS | {"revenue_O": "3890", "receivable": "1511"}
    voucher = invoice_voucher(document(outside_vat_line(3_500_000)), accounts)
    assert voucher.transactions == (Transaction("1511", 3_500_000), Transaction("3890", -3_500_000))


def test_a_missing_account_is_refused_by_name():
    accounts = {k: v for k, v in DEFAULT_ACCOUNTS.items() if k != "vat_out_25"}
    with pytest.raises(DocumentError, match="vat_out_25"):
        invoice_voucher(document(line(100)), accounts)


def test_file_is_cp437_with_the_sie_4i_header_and_balanced_vouchers():
    vouchers = [
        invoice_voucher(document(line(5_000_000), line(-101, "Avdrag"))),
        invoice_voucher(credit_note()),
        payment_voucher(6_249_874, datetime.date(2026, 2, 10), "Inbetalning BgMax Ale kommun"),
    ]
    data = sie_file(
        vouchers, SELLER, generated_on=datetime.date(2026, 12, 2), program_version="1.0"
    )
    records, parsed = parse(data)
    assert records[:8] == [
        ["#FLAGGA", "0"],
        ["#FORMAT", "PC8"],
        ["#SIETYP", "4"],
        ["#PROGRAM", "Bibblix", "1.0"],
        ["#GEN", "20261202"],
        ["#FNAMN", "Sambruk ideell förening"],
        ["#ORGNR", "802014-1118"],
        ["#VALUTA", "SEK"],
    ]
    assert ["#KONTO", "1510", "Kundfordringar"] in records
    assert {r[1] for r in records if r[0] == "#KONTO"} == {"1510", "1930", "2611", "3001"}
    assert [v["fields"] for v in parsed] == [
        ["F", "", "20260115", "Faktura 2026-0001 Ale kommun"],
        ["F", "", "20260701", "Kreditfaktura 2026-0042 Ale kommun"],
        ["I", "", "20260210", "Inbetalning BgMax Ale kommun"],
    ]
    for voucher in parsed:
        assert sum(ore(amount) for _, _, amount in voucher["trans"]) == 0
    assert parsed[0]["trans"] == [
        ("1510", "{}", "62498.74"),
        ("3001", "{}", "-49998.99"),
        ("2611", "{}", "-12499.75"),
    ]


def test_swedish_letters_are_written_in_cp437():
    data = sie_file([invoice_voucher(document(line(100)))], SELLER, program_version="1")
    # "ö" in "förening" and "Å" are 0x94 and 0x8F in CP437 (0xF6 and 0xC5 in Latin-1)
    assert b'#FNAMN "Sambruk ideell f\x94rening"' in data
    assert "Försäljning".encode("cp437") in data
    assert "ö".encode() not in data


def test_quotes_and_control_characters_in_text_are_escaped():
    voucher = payment_voucher(100, JAN_15, 'Betalning "ref 12" \\ rad\nslut')
    _, parsed = parse(sie_file([voucher], SELLER, program_version="1"))
    assert parsed[0]["fields"][3] == 'Betalning "ref 12" \\ rad slut'


def test_an_unbalanced_voucher_is_refused():
    voucher = Voucher("F", "1", JAN_15, "Fel", (Transaction("1510", 100), Transaction("3001", -99)))
    with pytest.raises(DocumentError, match="balanserar inte"):
        sie_file([voucher], SELLER)


def test_a_voucher_without_rows_is_refused():
    with pytest.raises(DocumentError, match="balanserar inte"):
        sie_file([Voucher("F", "1", JAN_15, "Tom", ())], SELLER)


def test_revenue_goes_to_the_fee_type_account_when_the_mapping_has_one():
    accounts = DEFAULT_ACCOUNTS | {"revenue_service": "3011"}
    doc = document(
        line(4_000_000, "Serviceavgift", fee_type="service"),
        line(1_000_000, "Anslutningsavgift", fee_type="connection"),  # no own account: 3001
        line(500_000, "Serviceavgift, tillägg", fee_type="service"),
    )
    assert invoice_voucher(doc, accounts).transactions == (
        Transaction("1510", 6_875_000),
        Transaction("3011", -4_500_000),
        Transaction("3001", -1_000_000),
        Transaction("2611", -1_375_000),
    )


def test_dashes_and_curly_quotes_become_their_ascii_twins_not_question_marks():
    voucher = payment_voucher(100, JAN_15, "GITS – regionens IT-organ, ”ref”")
    data = sie_file([voucher], SELLER, program_version="1")
    _, parsed = parse(data)
    assert parsed[0]["fields"][3] == 'GITS - regionens IT-organ, "ref"'
    assert b"?" not in data

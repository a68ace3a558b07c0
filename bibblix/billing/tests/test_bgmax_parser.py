"""The BgMax reader: Bankgirot's example file and small files that break one rule each."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from bibblix.billing.bgmax import BgMaxError, parse

from .bgmax_files import bgmax_file, extra_reference, information, name, payment

EXAMPLE = Path(settings.SHARED_DIR) / "bgmax" / "bankgirot-example-ocr-check-length.txt"


def refusal(data: bytes) -> BgMaxError:
    with pytest.raises(BgMaxError) as caught:
        parse(data)
    return caught.value


@pytest.mark.shared
def test_bankgirots_example_file_reads_with_its_end_record_counts():
    result = parse(EXAMPLE.read_bytes())

    assert result.start.layout == "BGMAX"
    assert result.start.written_at == datetime.datetime(2004, 5, 25, 17, 30, 35, 10331)
    assert not result.start.is_test
    assert [deposit.amount_ore for deposit in result.deposits] == [190000, 800000]
    assert {deposit.payee_bankgiro for deposit in result.deposits} == {"9912346"}
    assert result.deposits[0].payment_date == datetime.date(2004, 5, 25)
    payments = [payment for _deposit, payment in result.payments]
    assert sum(not p.is_deduction for p in payments) == 6
    assert sum(p.is_deduction for p in payments) == 1
    assert sum(len(p.extra_references) for p in payments) == 6
    first = payments[0]
    assert (first.reference, first.amount_ore, first.reference_code) == ("655969", 100000, 2)
    assert first.payer_name == "Kalles Plåt AB"  # ISO-8859-1
    assert (first.payer_city, first.payer_org_number) == ("Storåker", "005500001234")
    deduction = payments[1]
    assert deduction.signed_amount_ore == -50000
    assert deduction.deduction_code == 0
    assert payments[4].reference == "" and payments[4].reference_code == 1


@pytest.mark.shared
def test_example_record_with_tabs_reads_as_the_spaces_it_replaced():
    lines = EXAMPLE.read_bytes().split(b"\r\n")
    assert b"\t" in lines[16]  # line 17 of the file

    several = parse(EXAMPLE.read_bytes()).deposits[0].payments[2]

    assert [extra.reference for extra in several.extra_references] == [
        "657866",
        "658765",
        "657767",
        "657965",
    ]
    assert several.information == ["Betalning med extra refnr 657965"]


def test_small_file_with_lf_line_ends_reads_like_crlf():
    sections = [[payment("1234567890", 150000), name("Ale kommun")]]

    crlf = parse(bgmax_file(sections))
    lf = parse(bgmax_file(sections, line_end="\n"))

    assert crlf.payments[0][1].amount_ore == lf.payments[0][1].amount_ore == 150000
    assert lf.payments[0][1].payer_name == "Ale kommun"
    assert crlf.sha256 != lf.sha256


def test_extra_references_and_information_belong_to_the_payment_before_them():
    data = bgmax_file(
        [
            [
                payment("1001", 1000, reference_code=3),
                extra_reference("1002", 500),
                extra_reference("1003", 200, minus=True),
                information("Faktura 2026-0007"),
                payment("2001", 3000, serial=2),
            ]
        ]
    )

    first, second = (p for _d, p in parse(data).payments)

    assert [(e.reference, e.amount_ore) for e in first.extra_references] == [
        ("1002", 500),
        ("1003", -200),
    ]
    assert first.texts == ["1001", "1002", "1003", "Faktura 2026-0007"]
    assert second.extra_references == [] and second.information == []


def test_record_longer_than_80_positions_refuses_the_file_with_its_line():
    data = bgmax_file([[payment("1", 100), name("X" * 35)]])
    lines = data.split(b"\r\n")
    lines[3] = lines[3] + b"X"

    error = refusal(b"\r\n".join(lines))

    assert (error.reason, error.line) == ("too_long", 4)


def test_utf8_instead_of_iso_8859_1_is_refused_on_the_first_long_line():
    text = bgmax_file([[payment("1", 100), name("Kalles Plåt AB")]]).decode("iso-8859-1")

    error = refusal(text.encode("utf-8"))

    assert (error.reason, error.line) == ("too_long", 4)


def test_unknown_transaction_code_refuses_the_file():
    data = bgmax_file([[payment("1", 100)]]).replace(b"\r\n20", b"\r\n99", 1)

    error = refusal(data)

    assert (error.reason, error.line, error.details["code"]) == ("unknown_code", 3, "99")


def test_letters_in_an_amount_refuse_the_file_naming_the_field():
    record = payment("1", 100)
    broken = record[:40] + "X" + record[41:]
    data = bgmax_file([[record]]).replace(record.encode(), broken.encode())

    error = refusal(data)

    assert (error.reason, error.line, error.details["field"]) == ("bad_field", 3, "amount")


def test_end_record_counts_that_do_not_match_refuse_the_file():
    data = bgmax_file([[payment("1", 100), payment("2", 200, serial=2)]])
    data = data.replace(b"\r\n7000000002", b"\r\n7000000003")

    error = refusal(data)

    assert (error.reason, error.line) == ("end_count", 6)
    assert error.details == {"count": "payments", "expected": 3, "found": 2}


def test_deposit_amount_that_is_not_the_sum_of_its_payments_refuses_the_file():
    data = bgmax_file([[payment("1", 100), payment("2", 50, deduction=True, serial=2)]])
    lines = data.split(b"\r\n")
    assert int(lines[4][50:68]) == 50  # payments minus deductions
    lines[4] = lines[4][:50] + b"%018d" % 150 + lines[4][68:]

    error = refusal(b"\r\n".join(lines))

    assert (error.reason, error.line) == ("deposit_amount", 5)


def test_file_without_end_record_is_refused():
    data = bgmax_file([[payment("1", 100)]])
    cut = b"\r\n".join(data.split(b"\r\n")[:-2]) + b"\r\n"

    error = refusal(cut)

    assert (error.reason, error.line) == ("no_end", 4)


def test_file_without_start_record_is_refused():
    data = bgmax_file([[payment("1", 100)]])

    error = refusal(data.split(b"\r\n", 1)[1])

    assert (error.reason, error.line) == ("no_start", 1)


def test_payment_outside_a_deposit_section_is_refused():
    data = bgmax_file([[payment("1", 100)]])
    lines = data.split(b"\r\n")
    lines[1], lines[2] = lines[2], lines[1]

    error = refusal(b"\r\n".join(lines))

    assert (error.reason, error.line, error.details["code"]) == ("out_of_order", 2, "20")


def test_records_after_the_end_record_are_refused():
    data = bgmax_file([[payment("1", 100)]]) + payment("2", 100).encode() + b"\r\n"

    error = refusal(data)

    assert (error.reason, error.line) == ("after_end", 6)


def test_empty_file_and_other_layouts_are_refused():
    assert refusal(b"").reason == "empty"
    other = bgmax_file([[payment("1", 100)]]).replace(b"BGMAX", b"LBOUT")
    assert (refusal(other).reason, refusal(other).line) == ("not_bgmax", 1)

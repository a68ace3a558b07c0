"""Importing BgMax files: matching by OCR and by invoice number, partly paid, overpaid, unknown
references, the same file twice, a corrupt file, and matching by hand."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from bibblix.audit.models import AuditEntry
from bibblix.billing import payments, services
from bibblix.billing.bgmax import BgMaxError
from bibblix.billing.models import Invoice, Payment
from bibblix.billing.payment_models import BgMaxEntry, BgMaxFile

from .bgmax_files import bgmax_file, extra_reference, information, name, payment
from .payment_builders import make_invoice, make_issuer

EXAMPLE = Path(settings.SHARED_DIR) / "bgmax" / "bankgirot-example-ocr-check-length.txt"


@pytest.fixture
def issuer(db):
    return make_issuer()


@pytest.fixture
def invoice(issuer, ale):
    return make_invoice(issuer, ale, 10001, 1250000)  # 12 500 kr


def state_of(invoice: Invoice) -> str:
    return payments.balance_of(invoice).state


def test_payment_with_the_invoices_ocr_pays_it(invoice):
    data = bgmax_file([[payment(invoice.ocr, 1250000), name("Ale kommun")]])

    result = payments.import_bgmax(data)

    booked = Payment.objects.get()
    assert booked.invoice == invoice and booked.amount_ore == 1250000
    assert booked.paid_on == datetime.date(2026, 12, 1)
    assert booked.payer_name == "Ale kommun" and booked.source == Payment.Source.BGMAX
    assert result.count(payments.State.PAID) == 1 and result.unmatched == []
    assert state_of(invoice) == payments.State.PAID


def test_smaller_payment_leaves_the_invoice_partly_paid(invoice):
    result = payments.import_bgmax(bgmax_file([[payment(invoice.ocr, 1000000)]]))

    assert result.count(payments.State.PARTLY_PAID) == 1
    assert payments.balance_of(invoice).outstanding_ore == 250000


def test_larger_payment_makes_the_invoice_overpaid(invoice):
    result = payments.import_bgmax(bgmax_file([[payment(invoice.ocr, 1300000)]]))

    assert result.count(payments.State.OVERPAID) == 1
    assert payments.balance_of(invoice).outstanding_ore == -50000


def test_second_payment_completes_a_partly_paid_invoice(invoice):
    payments.import_bgmax(bgmax_file([[payment(invoice.ocr, 1000000)]]))
    later = bgmax_file(
        [[payment(invoice.ocr, 250000)]],
        day=datetime.date(2026, 12, 2),
        written_at="20261202120000000000",
    )

    result = payments.import_bgmax(later)

    assert result.count(payments.State.PAID) == 1
    assert state_of(invoice) == payments.State.PAID


def test_invoice_number_in_free_text_matches_when_there_is_no_ocr(invoice):
    data = bgmax_file(
        [[payment("", 1250000, reference_code=1), information("Avser faktura sb10001 tack")]]
    )

    payments.import_bgmax(data)

    assert Payment.objects.get().invoice == invoice


def test_unknown_reference_stays_unmatched_and_is_listed(invoice):
    data = bgmax_file([[payment("9999999999", 500000, reference_code=4), name("Okänd AB")]])

    result = payments.import_bgmax(data)

    assert [p.payer_name for p in result.unmatched] == ["Okänd AB"]
    assert list(payments.unmatched_payments()) == result.unmatched
    assert state_of(invoice) == payments.State.OPEN


def test_valid_ocr_of_another_issuers_invoice_does_not_match(invoice, boras):
    other = make_issuer(bankgiro="5555-5555", name="GITS")
    theirs = make_invoice(other, boras, 20001, 100000)

    payments.import_bgmax(bgmax_file([[payment(theirs.ocr, 100000)]]))

    assert Payment.objects.get().invoice is None


def test_one_payment_naming_two_invoices_is_shared_between_them(issuer, invoice, ale):
    second = make_invoice(issuer, ale, 10002, 300000)
    data = bgmax_file(
        [[payment(invoice.ocr, 1600000, reference_code=3), extra_reference(second.ocr)]]
    )

    payments.import_bgmax(data)

    assert payments.balance_of(invoice).paid_ore == 1300000  # 12 500 kr + 500 kr too much
    assert payments.balance_of(second).paid_ore == 300000
    assert BgMaxEntry.objects.count() == 2


def test_the_same_file_twice_changes_nothing(invoice):
    data = bgmax_file([[payment(invoice.ocr, 1250000), payment("1", 100, serial=2)]])
    payments.import_bgmax(data)

    again = payments.import_bgmax(data)

    assert again.already_imported
    assert Payment.objects.count() == 2 and BgMaxFile.objects.count() == 1
    assert payments.balance_of(invoice).paid_ore == 1250000


def test_a_payment_carried_by_a_second_file_is_not_booked_twice(invoice):
    records = [payment(invoice.ocr, 1250000)]
    payments.import_bgmax(bgmax_file([records]))
    resent = bgmax_file([records], written_at="20261201180000000000")  # other file, same deposit

    result = payments.import_bgmax(resent)

    assert not result.already_imported and result.skipped == 1
    assert Payment.objects.count() == 1 and BgMaxFile.objects.count() == 2


def test_corrupt_file_is_refused_whole_with_its_line(invoice):
    data = bgmax_file([[payment(invoice.ocr, 1250000), payment("1", 100, serial=2)]])
    lines = data.split(b"\r\n")
    lines[3] = lines[3][:40] + b"X" + lines[3][41:]

    with pytest.raises(BgMaxError) as refused:
        payments.import_bgmax(b"\r\n".join(lines))

    assert refused.value.line == 4
    assert "rad 4" in payments.describe_error(refused.value)
    assert Payment.objects.count() == 0 and BgMaxFile.objects.count() == 0


def test_file_for_a_bankgiro_no_issuer_has_is_refused(db):
    make_issuer(bankgiro="5555-5555")

    with pytest.raises(BgMaxError) as refused:
        payments.import_bgmax(bgmax_file([[payment("1", 100)]]))

    assert refused.value.reason == "unknown_bankgiro"
    assert "991-2346" in payments.describe_error(refused.value)
    assert Payment.objects.count() == 0


@pytest.mark.shared
def test_bankgirots_example_file_imports_with_its_deduction(issuer, ale):
    result = payments.import_bgmax(EXAMPLE.read_bytes(), name=EXAMPLE.name)

    assert BgMaxFile.objects.get().payment_count == 7
    assert sum(Payment.objects.values_list("amount_ore", flat=True)) == 190000 + 800000
    assert Payment.objects.filter(amount_ore=-50000).exists()  # the deduction (record 21)
    assert len(result.unmatched) == 7  # no invoice of ours is named in Bankgirot's example


def test_manual_match_is_recorded_in_the_audit_trail(invoice, economist):
    payments.import_bgmax(bgmax_file([[payment("", 1250000, reference_code=1)]]))
    unmatched = Payment.objects.get()

    payments.match_payment(unmatched, invoice, economist, "Ale betalade utan OCR, se mejl")

    unmatched.refresh_from_db()
    assert unmatched.invoice == invoice and unmatched.matched_by == economist
    entry = AuditEntry.objects.get(model="payment", object_id=str(unmatched.pk))
    assert entry.user == economist and entry.action == "matched"
    assert entry.reason == "Ale betalade utan OCR, se mejl"
    assert entry.changes == {"invoice": [None, "SB10001"]}
    assert entry.municipality_id == invoice.buyer_id
    assert state_of(invoice) == payments.State.PAID


def test_manual_match_needs_a_reason_and_an_unmatched_payment(invoice, economist):
    payments.import_bgmax(bgmax_file([[payment(invoice.ocr, 1250000)]]))
    payments.import_bgmax(bgmax_file([[payment("", 100, reference_code=1, serial=9)]]))
    matched, unmatched = Payment.objects.order_by("-amount_ore")
    assert matched.invoice == invoice and unmatched.invoice is None

    with pytest.raises(ValidationError):
        payments.match_payment(matched, invoice, economist, "dubbelt")
    with pytest.raises(ValidationError):
        payments.match_payment(unmatched, invoice, economist, "   ")
    assert AuditEntry.objects.filter(model="payment").count() == 0


def test_split_amount_gives_each_invoice_what_it_lacks():
    assert payments.split_amount(1000, [300, 500]) == [500, 500]
    assert payments.split_amount(600, [300, 500]) == [300, 300]
    assert payments.split_amount(100, [0, 500]) == [0, 100]


def test_ledger_shows_the_imported_payments_states(issuer, invoice, boras):
    other = make_invoice(issuer, boras, 10002, 100000)
    payments.import_bgmax(
        bgmax_file([[payment(invoice.ocr, 1000000), payment(other.ocr, 150000, serial=2)]])
    )

    rows = {row.number: row for row in services.ledger()}

    assert (rows["SB10001"].state, rows["SB10001"].paid_ore) == ("partly_paid", 1000000)
    assert (rows["SB10002"].state, rows["SB10002"].paid_ore) == ("overpaid", 150000)


def test_bankgirot_test_file_is_refused_in_production_only(invoice, settings):
    data = bgmax_file([[payment(invoice.ocr, 1250000)]]).replace(b"00000000P", b"00000000T", 1)
    settings.IS_PRODUCTION = True

    with pytest.raises(BgMaxError) as refused:
        payments.import_bgmax(data)
    settings.IS_PRODUCTION = False
    payments.import_bgmax(data)

    assert "testfil" in payments.describe_error(refused.value)
    assert BgMaxFile.objects.get().is_test

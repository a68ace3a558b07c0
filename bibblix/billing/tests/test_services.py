"""billing.services as the other apps and writers use it: the ledger's states, runs waiting for
approval, a member's invoices, and documents that keep the parties as invoiced."""

import pytest

from bibblix.billing import services
from bibblix.billing.models import Invoice, Payment
from bibblix.billing.tests import builders as b

KR = b.KR
pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(economist):
    b.schedule(2025)
    sambruk, _gits, _vgr = b.arrangement()
    ale = b.municipality("Ale", "1440", 20_000)
    run = services.compute_run(sambruk, 2025)
    pending = services.pending_runs()
    assert [(r.pk, r.invoice_count, r.total_ore) for r in pending] == [
        (run.pk, 3, 25_000 * KR + 25_000 * KR + 50_000 * KR)
    ]
    services.approve_run(run, economist, today=b.D(2025, 1, 10))
    assert services.pending_runs() == []
    return sambruk, ale


def _pay(invoice, amount):
    Payment.objects.create(
        invoice=invoice, amount_ore=amount, paid_on=b.D(2025, 1, 20), source="manual"
    )


@pytest.mark.parametrize(
    ("paid", "state"),
    [(0, "open"), (10_000 * KR, "partly_paid"), (25_000 * KR, "paid"), (26_000 * KR, "overpaid")],
)
def test_ledger_state_follows_payments(issued, paid, state):
    _sambruk, ale = issued
    invoice = Invoice.objects.get(buyer=ale, vat_category="S")
    if paid:
        _pay(invoice, paid)
    (row,) = [r for r in services.ledger(2025, today=b.D(2025, 3, 1)) if r.invoice_id == invoice.pk]
    assert (row.state, row.paid_ore, row.total_ore) == (state, paid, 25_000 * KR)
    assert row.is_overdue == (state in {"open", "partly_paid"})  # due 9 February
    assert row.due_date == b.D(2025, 2, 9) and row.ocr == invoice.ocr


def test_a_fully_credited_invoice_is_credited_and_not_overdue(issued, economist):
    sambruk, ale = issued
    b.end(ale, b.D(2025, 1, 1))  # never a member in 2025 after all
    services.approve_run(services.compute_run(sambruk, 2025), economist, today=b.D(2025, 1, 12))
    rows = services.invoices_for_member(ale.pk)
    invoices = [r for r in rows if r.kind == "invoice"]
    credits = [r for r in rows if r.kind == "credit_note"]
    assert {r.state for r in invoices} == {"credited"} and len(credits) == 2
    assert all(r.credited_ore == r.total_ore for r in invoices)
    later = services.ledger(2025, buyer_id=ale.pk, today=b.D(2025, 6, 1))
    assert later and not any(r.is_overdue for r in later)
    assert {r.buyer_id for r in rows} == {ale.pk}


def test_an_issued_document_keeps_the_parties_as_invoiced(issued):
    _sambruk, ale = issued
    invoice = Invoice.objects.get(buyer=ale, vat_category="O")
    ale.name, ale.street = "Ale kommun (nytt namn)", "Nya gatan 2"
    ale.save()
    document = services.invoice_document(invoice.pk)
    assert (document.buyer.name, document.buyer.street) == ("Ale", "Alegatan 1")
    assert document.number == invoice.number and document.buyer_reference == "REF-Ale"
    assert document.vat[0].category == "O" and document.vat[0].exemption_reason == b.EXEMPT
    assert document.seller.vat_number.startswith("SE") and document.seller_bankgiro == "5050-1055"

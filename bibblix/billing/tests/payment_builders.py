"""Issued invoices to pay, built directly (the billing run is tested elsewhere)."""

import datetime

from bibblix.billing.models import Invoice, Issuer
from bibblix.billing.ocr import make_ocr
from bibblix.members.models import Organisation


def make_issuer(bankgiro: str = "991-2346", name: str = "Sambruk") -> Issuer:
    organisation = Organisation.objects.create(kind=Organisation.Kind.ASSOCIATION, name=name)
    return Issuer.objects.create(
        organisation=organisation,
        vat_number="SE000000000001",
        bankgiro=bankgiro,
        is_placeholder=True,
        number_prefix="SB",
    )


def make_invoice(
    issuer: Issuer,
    buyer: Organisation,
    sequence: int,
    total_ore: int,
    *,
    due_date: datetime.date = datetime.date(2026, 11, 30),
    kind: str = Invoice.Kind.INVOICE,
    credits: Invoice | None = None,
) -> Invoice:
    """An issued invoice (or credit note) numbered SB<sequence> with an OCR from that number."""
    return Invoice.objects.create(
        issuer=issuer.organisation,
        buyer=buyer,
        kind=kind,
        credits=credits,
        status=Invoice.Status.ISSUED,
        sequence=sequence,
        number=f"{issuer.number_prefix}{sequence}",
        ocr=make_ocr(str(sequence)) if kind == Invoice.Kind.INVOICE else "",
        issue_date=due_date - datetime.timedelta(days=30),
        due_date=due_date,
        year=due_date.year,
        period_start=datetime.date(due_date.year, 1, 1),
        period_end=datetime.date(due_date.year, 12, 31),
        vat_category="S",
        vat_rate_basis_points=2500,
        net_ore=total_ore * 4 // 5,
        vat_ore=total_ore - total_ore * 4 // 5,
        total_ore=total_ore,
        buyer_reference="4711",
    )

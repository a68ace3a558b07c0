"""Small builders of InvoiceDocuments for the writers' tests (no database)."""

import dataclasses
import datetime
from collections import defaultdict

from bibblix.billing.documents.data import DocumentLine, InvoiceDocument, Party, VatBreakdown
from bibblix.lib.money import percent_of

OUTSIDE_VAT = "Omsättningen är utanför mervärdesskattens tillämpningsområde"

SELLER = Party(
    name="Sambruk ideell förening",
    organisation_number="802014-1118",  # Luhn-valid, invented for the tests
    street="Storgatan 1",
    postcode="111 22",
    city="Stockholm",
    vat_number="SE802014111801",
    peppol_id="0007:8020141118",
)
BUYER = Party(
    name="Ale kommun",
    organisation_number="212000-1439",
    street="Kommunhusvägen 1",
    postcode="449 80",
    city="Alafors",
    vat_number="SE212000143901",
    peppol_id="0007:2120001439",
)


def line(net_ore: int, description: str = "Årsavgift Bibblix 2026", **fields) -> DocumentLine:
    values = {
        "line_id": "1",
        "description": description,
        "net_ore": net_ore,
        "vat_category": "S",
        "vat_rate_bp": 2500,
    } | fields
    return DocumentLine(**values)


def document(*lines: DocumentLine, **fields) -> InvoiceDocument:
    """An invoice over `lines` with VAT computed per category total (BR-CO-17)."""
    lines = tuple(dataclasses.replace(li, line_id=str(i)) for i, li in enumerate(lines, 1))
    taxable: dict[tuple[str, int], int] = defaultdict(int)
    for li in lines:
        taxable[(li.vat_category, li.vat_rate_bp)] += li.net_ore
    vat = tuple(
        VatBreakdown(
            category=category,
            rate_bp=rate,
            taxable_ore=amount,
            vat_ore=percent_of(amount, rate),
            exemption_reason=OUTSIDE_VAT if category == "O" else "",
        )
        for (category, rate), amount in sorted(taxable.items())
    )
    net = sum(li.net_ore for li in lines)
    vat_total = sum(v.vat_ore for v in vat)
    values = {
        "kind": "invoice",
        "number": "2026-0001",
        "issue_date": datetime.date(2026, 1, 15),
        "due_date": datetime.date(2026, 2, 14),
        "seller": SELLER,
        "seller_bankgiro": "5050-1055",
        "seller_has_f_skatt": True,
        "buyer": BUYER,
        "buyer_reference": "KS-4711",
        "ocr": "2026000163",
        "lines": lines,
        "vat": vat,
        "net_ore": net,
        "vat_ore": vat_total,
        "total_ore": net + vat_total,
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2026, 12, 31),
    } | fields
    return InvoiceDocument(**values)


def outside_vat_line(net_ore: int, description: str = "Medlemsavgift 2026") -> DocumentLine:
    return line(net_ore, description, vat_category="O", vat_rate_bp=0)


def credit_note(**fields) -> InvoiceDocument:
    values = {
        "kind": "credit_note",
        "number": "2026-0042",
        "issue_date": datetime.date(2026, 7, 1),
        "due_date": None,
        "ocr": "",
        "referenced_invoice": "2026-0001",
        "referenced_invoice_date": datetime.date(2026, 1, 15),
        "period_start": datetime.date(2026, 7, 1),
        "period_end": datetime.date(2026, 12, 31),
    } | fields
    lines = values.pop("lines", None) or (
        line(
            2_520_548,
            "Årsavgift Bibblix 2026, uppsägning 30 juni",
            period_start=datetime.date(2026, 7, 1),
            period_end=datetime.date(2026, 12, 31),
        ),
    )
    return document(*lines, **values)


@dataclasses.dataclass(frozen=True)
class LedgerRow:
    """The fields of billing.services.LedgerRow (the interface billing-core provides)."""

    invoice_id: int
    number: str
    kind: str
    issuer_id: int
    issuer: str
    buyer_id: int
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


def ledger_row(**fields) -> LedgerRow:
    values = {
        "invoice_id": 1,
        "number": "2026-0001",
        "kind": "invoice",
        "issuer_id": 1,
        "issuer": "Sambruk ideell förening",
        "buyer_id": 2,
        "buyer": "Ale kommun",
        "ocr": "2026000163",
        "issue_date": datetime.date(2026, 1, 15),
        "due_date": datetime.date(2026, 2, 14),
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2026, 12, 31),
        "net_ore": 5_000_000,
        "vat_ore": 1_250_000,
        "total_ore": 6_250_000,
        "credited_ore": 0,
        "paid_ore": 0,
        "state": "open",
        "is_overdue": False,
    } | fields
    return LedgerRow(**values)

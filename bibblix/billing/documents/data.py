"""The plain shape every invoice document is written from. Billing builds one InvoiceDocument per
invoice or credit note from its stored rows; the writers (UBL, PDF, SIE, ledger) read only this.

Amounts are integers in öre. A credit note carries positive amounts (UBL CreditNote semantics);
its `kind` says it reduces the referenced invoice.
"""

import datetime
from dataclasses import dataclass, field
from typing import Literal

VatCategory = Literal["S", "O"]  # S: standard rate (25 %); O: outside the scope of VAT


@dataclass(frozen=True)
class Party:
    name: str
    organisation_number: str  # "212000-1439"
    street: str
    postcode: str
    city: str
    country_code: str = "SE"
    vat_number: str = ""  # "SE212000143901"; required for the seller
    peppol_id: str = ""  # "0007:2120001439"
    is_placeholder: bool = False  # demo or temporary identifiers: never a real invoice


@dataclass(frozen=True)
class DocumentLine:
    line_id: str
    description: str
    net_ore: int  # line net amount (BT-131)
    vat_category: VatCategory
    vat_rate_bp: int  # 2500 means 25 %; 0 for category O
    quantity: int = 1
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None  # inclusive
    note: str = ""  # where the line came from: period, population, tier, schedule row
    fee_type: str = ""  # billing.models.FeeType value; picks the revenue account in SIE


@dataclass(frozen=True)
class VatBreakdown:
    category: VatCategory
    rate_bp: int
    taxable_ore: int
    vat_ore: int
    exemption_reason: str = ""  # required for category O (BR-O-10)


@dataclass(frozen=True)
class InvoiceDocument:
    kind: Literal["invoice", "credit_note"]
    number: str
    issue_date: datetime.date
    due_date: datetime.date | None
    seller: Party
    seller_bankgiro: str  # "991-2346"
    seller_has_f_skatt: bool  # "Godkänd för F-skatt" (SE-R-005)
    buyer: Party
    buyer_reference: str  # BT-10, mandatory for Swedish public buyers
    ocr: str  # payment reference (BT-83)
    lines: tuple[DocumentLine, ...]
    vat: tuple[VatBreakdown, ...]
    net_ore: int
    vat_ore: int
    total_ore: int
    currency: str = "SEK"
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None  # inclusive
    referenced_invoice: str | None = None  # a credit note's invoice number (BillingReference)
    referenced_invoice_date: datetime.date | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

"""What every writer refuses: a document whose sums or VAT categories do not add up.

The writers copy the amounts billing computed; they never recompute VAT. They check instead, so a
wrong sum stops at the door with one clear line rather than reaching a buyer or the accounts.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from .data import InvoiceDocument


class DocumentError(ValueError):
    """The document cannot be written as it stands; the message names it and says why in one
    line, in the user's language."""

    def __init__(self, name: str, why: str):
        super().__init__(f"{name}: {why}")


def check_document(doc: InvoiceDocument) -> None:
    """Raise DocumentError when the lines, VAT breakdown and totals do not agree (EN 16931
    BR-CO-10, BR-CO-14, BR-CO-15, BR-O-10, BR-O-11), or a credit note names no invoice."""
    name = doc.number or _("draft")
    if not doc.lines:
        raise DocumentError(name, _("no lines"))
    if any(line.quantity == 0 for line in doc.lines):
        raise DocumentError(name, _("a line has quantity 0"))
    if sum(line.net_ore for line in doc.lines) != doc.net_ore:
        raise DocumentError(name, _("the lines do not add up to the net amount"))
    per_rate: dict[tuple[str, int], int] = defaultdict(int)
    for line in doc.lines:
        per_rate[(line.vat_category, line.vat_rate_bp)] += line.net_ore
    breakdown = {(vat.category, vat.rate_bp): vat for vat in doc.vat}
    if len(breakdown) != len(doc.vat) or set(breakdown) != set(per_rate):
        raise DocumentError(name, _("the VAT breakdown does not match the lines' categories"))
    for key, vat in breakdown.items():
        if vat.taxable_ore != per_rate[key]:
            raise DocumentError(
                name,
                _("the taxable amount for VAT category %(category)s is wrong")
                % {"category": key[0]},
            )
        if vat.category == "O" and (vat.rate_bp or vat.vat_ore or not vat.exemption_reason):
            raise DocumentError(name, _("category O needs rate 0, VAT 0 and an exemption reason"))
    if "O" in {category for category, _rate in breakdown} and len(breakdown) > 1:
        raise DocumentError(name, _("category O cannot share a document with another (BR-O-11)"))
    if sum(vat.vat_ore for vat in doc.vat) != doc.vat_ore:
        raise DocumentError(name, _("the VAT per category does not add up to the VAT total"))
    if doc.net_ore + doc.vat_ore != doc.total_ore:
        raise DocumentError(name, _("net plus VAT is not the total"))
    if any(category == "S" for category, _rate in breakdown) and not doc.seller.vat_number:
        raise DocumentError(name, _("the seller has no VAT number"))
    if doc.kind == "credit_note" and not doc.referenced_invoice:
        raise DocumentError(name, _("a credit note must name the invoice it credits"))

"""Peppol BIS Billing 3.0 e-invoices (UBL 2.1 Invoice and CreditNote) from an InvoiceDocument.

Swedish public buyers must receive invoices this way (SFS 2018:1277). Element order follows the
UBL 2.1 schemas; the business rules are EN 16931 and Peppol's, including the Swedish ones
(SE-R-001..013). Amounts are written in kronor with two decimals, converted exactly from öre.
"""

import datetime
import re

from django.utils.translation import gettext as _
from lxml import etree
from stdnum import luhn

from bibblix.lib.money import kronor_decimal

from .checks import DocumentError, check_document
from .data import DocumentLine, InvoiceDocument, Party, VatBreakdown

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
ROOT_NS = {
    "invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "credit_note": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
F_SKATT = "Godkänd för F-skatt"  # SE-R-005: the seller's tax registration text, word for word
EXEMPTION_CODE_O = "VATEX-EU-O"  # Not subject to VAT
UNIT_ONE = "C62"  # UN/ECE rec 20: "one"


def invoice_xml(doc: InvoiceDocument) -> bytes:
    """The Peppol BIS Billing 3.0 UBL Invoice (kind "invoice") or CreditNote of `doc`."""
    _check_for_peppol(doc)
    is_credit = doc.kind == "credit_note"
    root_name = "CreditNote" if is_credit else "Invoice"
    ns = ROOT_NS[doc.kind]
    root = etree.Element(f"{{{ns}}}{root_name}", nsmap={None: ns, "cac": CAC, "cbc": CBC})
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", doc.number)
    _cbc(root, "IssueDate", doc.issue_date.isoformat())
    if not is_credit and doc.due_date:
        _cbc(root, "DueDate", doc.due_date.isoformat())
    _cbc(
        root,
        "CreditNoteTypeCode" if is_credit else "InvoiceTypeCode",
        "381" if is_credit else "380",
    )
    if doc.notes:
        # PEPPOL-EN16931-R002: at most one note on document level.
        _cbc(root, "Note", "\n".join(doc.notes))
    _cbc(root, "DocumentCurrencyCode", doc.currency)
    _cbc(root, "BuyerReference", doc.buyer_reference)
    _period(root, doc.period_start, doc.period_end)
    if doc.referenced_invoice:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", doc.referenced_invoice)
        if doc.referenced_invoice_date:
            _cbc(reference, "IssueDate", doc.referenced_invoice_date.isoformat())
    has_o = any(vat.category == "O" for vat in doc.vat)
    _party(_cac(root, "AccountingSupplierParty"), doc.seller, doc, is_seller=True, has_o=has_o)
    _party(_cac(root, "AccountingCustomerParty"), doc.buyer, doc, is_seller=False, has_o=has_o)
    if not is_credit:
        _payment_means(root, doc)
    _tax_total(root, doc)
    totals = _cac(root, "LegalMonetaryTotal")
    for name, ore in (
        ("LineExtensionAmount", doc.net_ore),
        ("TaxExclusiveAmount", doc.net_ore),
        ("TaxInclusiveAmount", doc.total_ore),
        ("PayableAmount", doc.total_ore),
    ):
        _amount(totals, name, ore, doc.currency)
    for line in doc.lines:
        _line(root, line, doc.currency, is_credit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _check_for_peppol(doc: InvoiceDocument) -> None:
    check_document(doc)
    name = doc.number or _("draft")
    if not doc.number:
        raise DocumentError(name, _("a draft has no number yet: approve the run first"))
    if not doc.buyer_reference.strip():
        # PEPPOL-EN16931-R003; Swedish public buyers route invoices by it.
        raise DocumentError(name, _("the buyer reference is missing"))
    if doc.kind == "invoice" and doc.total_ore > 0 and not doc.due_date:
        raise DocumentError(name, _("an invoice to pay needs a due date (BR-CO-25)"))
    seller = doc.seller
    if seller.country_code == "SE":
        # The Swedish Peppol rules, checked here so a wrong number is named in one line
        # instead of leaving in a file the buyer's access point rejects.
        if seller.vat_number and not re.fullmatch(r"SE\d{12}", seller.vat_number):
            raise DocumentError(
                name,
                _("the seller's VAT number %(number)s is not SE and 12 digits (SE-R-001)")
                % {"number": seller.vat_number},
            )
        digits = _digits(seller.organisation_number)
        if len(digits) != 10 or not luhn.is_valid(digits):
            raise DocumentError(
                name,
                _("the seller's organisation number %(number)s is not valid (SE-R-013)")
                % {"number": seller.organisation_number},
            )
        if doc.seller_bankgiro and not 7 <= len(_digits(doc.seller_bankgiro)) <= 8:
            raise DocumentError(
                name,
                _("the bankgiro number %(number)s does not have 7 or 8 digits (SE-R-009)")
                % {"number": doc.seller_bankgiro},
            )


def _cbc(parent, name: str, text: str, **attributes: str):
    element = etree.SubElement(parent, f"{{{CBC}}}{name}", attributes)
    element.text = text
    return element


def _cac(parent, name: str):
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def _amount(parent, name: str, ore: int, currency: str) -> None:
    _cbc(parent, name, kronor_decimal(ore), currencyID=currency)


def _period(parent, start: datetime.date | None, end: datetime.date | None) -> None:
    if not (start or end):
        return
    period = _cac(parent, "InvoicePeriod")
    if start:
        _cbc(period, "StartDate", start.isoformat())
    if end:
        _cbc(period, "EndDate", end.isoformat())


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _endpoint(party: Party) -> tuple[str, str]:
    """(scheme, identifier) of a Peppol participant id "0007:2120001439"; Swedish organisations
    without one are reached by their organisation number (ICD 0007)."""
    if ":" in party.peppol_id:
        scheme, identifier = party.peppol_id.split(":", 1)
        return scheme.strip(), identifier.strip()
    return "0007", _digits(party.organisation_number)


def _party(parent, party: Party, doc: InvoiceDocument, *, is_seller: bool, has_o: bool) -> None:
    element = _cac(parent, "Party")
    scheme, identifier = _endpoint(party)
    _cbc(element, "EndpointID", identifier, schemeID=scheme)
    _cbc(_cac(element, "PartyName"), "Name", party.name)
    address = _cac(element, "PostalAddress")
    if party.street:
        _cbc(address, "StreetName", party.street)
    if party.city:
        _cbc(address, "CityName", party.city)
    if party.postcode:
        _cbc(address, "PostalZone", party.postcode)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.country_code)
    # BR-O-02: a document outside the scope of VAT carries neither party's VAT identifier.
    if party.vat_number and not has_o:
        _tax_scheme(element, party.vat_number, "VAT")
    if is_seller and doc.seller_has_f_skatt:
        _tax_scheme(element, F_SKATT, "TAX")
    legal = _cac(element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    if party.organisation_number:
        number = _digits(party.organisation_number)
        if is_seller:  # SE-R-003/004/013: ten digits with a Luhn check digit, no scheme needed
            _cbc(legal, "CompanyID", number)
        else:
            _cbc(legal, "CompanyID", number, schemeID="0007")


def _tax_scheme(party_element, company_id: str, scheme: str) -> None:
    tax = _cac(party_element, "PartyTaxScheme")
    _cbc(tax, "CompanyID", company_id)
    _cbc(_cac(tax, "TaxScheme"), "ID", scheme)


def _payment_means(root, doc: InvoiceDocument) -> None:
    if not doc.seller_bankgiro:
        return
    means = _cac(root, "PaymentMeans")
    _cbc(means, "PaymentMeansCode", "30")  # credit transfer (SE-R-011/012)
    if doc.ocr:
        _cbc(means, "PaymentID", doc.ocr)
    account = _cac(means, "PayeeFinancialAccount")
    _cbc(account, "ID", _digits(doc.seller_bankgiro))  # SE-R-008/009: 7-8 digits
    _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", "SE:BANKGIRO")


def _percent(rate_bp: int) -> str:
    whole, rest = divmod(rate_bp, 100)
    return f"{whole}.{rest:02d}".rstrip("0").rstrip(".")


def _category(parent, name: str, category: str, rate_bp: int, vat: VatBreakdown | None) -> None:
    element = _cac(parent, name)
    _cbc(element, "ID", category)
    if category != "O":  # BR-O-05/BR-O-09: no rate outside the scope of VAT
        _cbc(element, "Percent", _percent(rate_bp))
    if vat is not None and category == "O":  # BR-O-10: the reason, as a code and as text
        _cbc(element, "TaxExemptionReasonCode", EXEMPTION_CODE_O)
        _cbc(element, "TaxExemptionReason", vat.exemption_reason)
    _cbc(_cac(element, "TaxScheme"), "ID", "VAT")


def _tax_total(root, doc: InvoiceDocument) -> None:
    total = _cac(root, "TaxTotal")
    _amount(total, "TaxAmount", doc.vat_ore, doc.currency)
    for vat in doc.vat:
        subtotal = _cac(total, "TaxSubtotal")
        _amount(subtotal, "TaxableAmount", vat.taxable_ore, doc.currency)
        _amount(subtotal, "TaxAmount", vat.vat_ore, doc.currency)
        _category(subtotal, "TaxCategory", vat.category, vat.rate_bp, vat)


def _line(root, line: DocumentLine, currency: str, is_credit: bool) -> None:
    element = _cac(root, "CreditNoteLine" if is_credit else "InvoiceLine")
    _cbc(element, "ID", line.line_id)
    if line.note:
        _cbc(element, "Note", line.note)
    # The item price (BT-146) may not be negative (BR-27): a negative line has a negative
    # quantity. When the amount does not divide by the quantity, the price is given for the
    # whole quantity (BaseQuantity), so quantity x price / base is the line amount exactly.
    quantity = abs(line.quantity) if line.net_ore >= 0 else -abs(line.quantity)
    unit_price, base_quantity = abs(line.net_ore), abs(line.quantity)
    if unit_price % base_quantity == 0:
        unit_price, base_quantity = unit_price // base_quantity, 1
    _cbc(
        element,
        "CreditedQuantity" if is_credit else "InvoicedQuantity",
        str(quantity),
        unitCode=UNIT_ONE,
    )
    _amount(element, "LineExtensionAmount", line.net_ore, currency)
    _period(element, line.period_start, line.period_end)
    item = _cac(element, "Item")
    _cbc(item, "Name", line.description)
    _category(item, "ClassifiedTaxCategory", line.vat_category, line.vat_rate_bp, None)
    price = _cac(element, "Price")
    _amount(price, "PriceAmount", unit_price, currency)
    if base_quantity != 1:
        _cbc(price, "BaseQuantity", str(base_quantity), unitCode=UNIT_ONE)

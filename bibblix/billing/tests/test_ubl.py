import dataclasses
import datetime
import importlib.util
from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from bibblix.billing.documents.checks import DocumentError
from bibblix.billing.documents.ubl import invoice_xml

from .document_samples import BUYER, SELLER, credit_note, document, line, outside_vat_line

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
PEPPOL_DIR = Path(settings.SHARED_DIR) / "peppol"


@pytest.fixture(scope="module")
def peppol_findings():
    """Fatal findings of ../shared/peppol/validate.py (UBL 2.1 XSD, EN 16931, Peppol rules)."""
    spec = importlib.util.spec_from_file_location("peppol_validate", PEPPOL_DIR / "validate.py")
    validate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(validate)

    def findings(xml: bytes, tmp_path: Path) -> list[str]:
        path = tmp_path / "document.xml"
        path.write_bytes(xml)
        found = validate.check_xsd(str(path)) + validate.run(str(path), str(PEPPOL_DIR))
        return [
            f"{f['id']} {f['location']}: {f['text']}"
            for f in found
            if f["flag"] in ("fatal", "error")
        ]

    return findings


def xpath(xml: bytes, path: str) -> list[str]:
    return [
        e if isinstance(e, str) else e.text
        for e in etree.fromstring(xml).xpath(path, namespaces=NS)
    ]


MARCH_15 = datetime.date(2026, 3, 15)
DEC_31 = datetime.date(2026, 12, 31)

SAMPLES = {
    "standard rate only": document(
        line(5_000_000, "Årsavgift Bibblix 2026, 25 000–50 000 invånare"),
        line(1_000_000, "Anslutningsavgift (engång)"),
    ),
    "outside VAT only, with exemption": document(
        outside_vat_line(3_500_000), outside_vat_line(1_000_000, "Inträdesavgift (engång)")
    ),
    "credit note": credit_note(),
    "pro-rata line periods": document(
        line(
            3_972_603,  # 50 000 kr x 292/365 days (15 March to 31 December)
            "Serviceavgift 2026, pro rata 292/365 dagar",
            period_start=MARCH_15,
            period_end=DEC_31,
            note="Ansluten 2026-03-15; 41 000 invånare (SCB 2025-12-31); taxa 2026 rad 4",
        ),
        line(1_000_000, "Anslutningsavgift", period_start=MARCH_15, period_end=MARCH_15),
    ),
    "öre rounding edges": document(
        line(2, "Två öre"),
        line(10_000_001, "Udda belopp, tre enheter", quantity=3),
        line(-101, "Avdrag med negativ rad"),
        line(100, "En krona"),  # category total 10 000 002 öre
    ),
    "placeholder parties": document(
        line(5_000_000),
        seller=dataclasses.replace(SELLER, is_placeholder=True),
        buyer=dataclasses.replace(BUYER, is_placeholder=True),
    ),
    "supplementary invoice": document(
        line(250_000, "Tilläggsfaktura: befolkning rättad"), referenced_invoice="2026-0001"
    ),
}


@pytest.mark.shared
@pytest.mark.parametrize("name", SAMPLES)
def test_document_passes_en16931_and_peppol_rules(peppol_findings, tmp_path, name):
    assert peppol_findings(invoice_xml(SAMPLES[name]), tmp_path) == []


@pytest.mark.shared
def test_validator_finds_a_wrong_payable_amount(peppol_findings, tmp_path):
    """The harness above can fail: a payable amount one öre off breaks BR-CO-15."""
    xml = invoice_xml(SAMPLES["standard rate only"]).replace(
        b'<cbc:PayableAmount currencyID="SEK">75000.00<',
        b'<cbc:PayableAmount currencyID="SEK">75000.01<',
    )
    assert any(finding.startswith("BR-CO-") for finding in peppol_findings(xml, tmp_path))


def test_amounts_are_kronor_with_two_decimals_from_ore():
    xml = invoice_xml(SAMPLES["öre rounding edges"])
    assert xpath(xml, "//cac:InvoiceLine/cbc:LineExtensionAmount") == [
        "0.02",
        "100000.01",
        "-1.01",
        "1.00",
    ]
    # 10 000 001 öre over three units: the price is given for all three (BaseQuantity 3).
    assert xpath(xml, "//cac:InvoiceLine[cbc:ID='2']/cac:Price/cbc:PriceAmount") == ["100000.01"]
    assert xpath(xml, "//cac:InvoiceLine[cbc:ID='2']/cac:Price/cbc:BaseQuantity") == ["3"]
    # a negative line has a negative quantity, never a negative price (BR-27)
    assert xpath(xml, "//cac:InvoiceLine[cbc:ID='3']/cbc:InvoicedQuantity") == ["-1"]
    assert xpath(xml, "//cac:InvoiceLine[cbc:ID='3']/cac:Price/cbc:PriceAmount") == ["1.01"]
    # VAT on the category total, not per line: 25 % of 10 000 002 öre is 2 500 000,5 öre,
    # rounded half away from zero to 2 500 001 öre
    assert xpath(xml, "/*/cac:TaxTotal/cbc:TaxAmount") == ["25000.01"]
    assert xpath(xml, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == ["125000.03"]


def test_invoice_carries_swedish_payment_and_tax_details():
    xml = invoice_xml(SAMPLES["standard rate only"])
    assert xpath(xml, "/*/cbc:InvoiceTypeCode") == ["380"]
    assert xpath(xml, "/*/cbc:BuyerReference") == ["KS-4711"]
    assert xpath(xml, "//cac:PaymentMeans/cbc:PaymentMeansCode") == ["30"]
    assert xpath(xml, "//cac:PaymentMeans/cbc:PaymentID") == ["2026000163"]
    assert xpath(xml, "//cac:PayeeFinancialAccount/cbc:ID") == ["50501055"]
    assert xpath(xml, "//cac:FinancialInstitutionBranch/cbc:ID") == ["SE:BANKGIRO"]
    seller = "//cac:AccountingSupplierParty/cac:Party"
    assert xpath(xml, f"{seller}/cbc:EndpointID/@schemeID") == ["0007"]
    assert xpath(xml, f"{seller}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID") == [
        "SE802014111801"
    ]
    assert xpath(xml, f"{seller}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='TAX']/cbc:CompanyID") == [
        "Godkänd för F-skatt"
    ]
    assert xpath(xml, f"{seller}/cac:PartyLegalEntity/cbc:CompanyID") == ["8020141118"]


def test_outside_vat_document_names_the_exemption_and_no_vat_numbers():
    xml = invoice_xml(SAMPLES["outside VAT only, with exemption"])
    assert xpath(xml, "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode") == [
        "VATEX-EU-O"
    ]
    assert xpath(xml, "//cac:TaxCategory/cbc:Percent") == []
    # BR-O-02: neither party's VAT identifier outside the scope of VAT
    assert xpath(xml, "//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']") == []


def test_credit_note_refers_to_the_invoice_it_credits():
    xml = invoice_xml(SAMPLES["credit note"])
    assert etree.QName(etree.fromstring(xml)).localname == "CreditNote"
    assert xpath(xml, "/*/cbc:CreditNoteTypeCode") == ["381"]
    assert xpath(xml, "//cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == ["2026-0001"]
    assert xpath(xml, "//cac:InvoiceDocumentReference/cbc:IssueDate") == ["2026-01-15"]
    assert xpath(xml, "//cac:CreditNoteLine/cbc:CreditedQuantity") == ["1"]
    assert xpath(xml, "//cac:PaymentMeans") == []


def test_line_periods_are_written_per_line():
    xml = invoice_xml(SAMPLES["pro-rata line periods"])
    assert xpath(xml, "//cac:InvoiceLine[cbc:ID='1']/cac:InvoicePeriod/cbc:StartDate") == [
        "2026-03-15"
    ]
    assert xpath(xml, "//cac:InvoiceLine[cbc:ID='1']/cbc:Note") == [
        "Ansluten 2026-03-15; 41 000 invånare (SCB 2025-12-31); taxa 2026 rad 4"
    ]


def test_placeholder_marks_stay_out_of_the_identifiers():
    xml = invoice_xml(SAMPLES["placeholder parties"])
    assert b"EXEMPEL" not in xml
    assert xpath(xml, "//cac:AccountingCustomerParty//cbc:EndpointID") == ["2120001439"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"buyer_reference": " "}, "köparens referens saknas"),
        ({"number": ""}, "utkast: ett utkast har inget nummer"),
        ({"due_date": None}, "förfallodatum"),
        ({"total_ore": 1}, "netto plus moms är inte totalbeloppet"),
        ({"net_ore": 1}, "raderna summerar inte"),
    ],
)
def test_refuses_a_document_that_cannot_be_a_valid_e_invoice(change, message):
    doc = dataclasses.replace(SAMPLES["standard rate only"], **change)
    with pytest.raises(DocumentError, match=message):
        invoice_xml(doc)


def test_refuses_outside_vat_mixed_with_standard_rate():
    doc = document(line(100), outside_vat_line(100))
    with pytest.raises(DocumentError, match="BR-O-11"):
        invoice_xml(doc)


def test_refuses_a_credit_note_without_its_invoice():
    with pytest.raises(DocumentError, match="måste ange fakturan den krediterar"):
        invoice_xml(credit_note(referenced_invoice=None))


@pytest.mark.parametrize(
    "seller_change, bankgiro, message",
    [
        ({"vat_number": "SE01"}, "5050-1055", "SE-R-001"),
        ({"organisation_number": "802014-1119"}, "5050-1055", "SE-R-013"),
        ({}, "505-105", "SE-R-009"),
    ],
)
def test_refuses_swedish_seller_numbers_peppol_would_reject(seller_change, bankgiro, message):
    doc = SAMPLES["standard rate only"]
    doc = dataclasses.replace(
        doc, seller=dataclasses.replace(doc.seller, **seller_change), seller_bankgiro=bankgiro
    )
    with pytest.raises(DocumentError, match=message):
        invoice_xml(doc)

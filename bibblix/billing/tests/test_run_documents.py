"""Every document a billing run issues, written by the UBL and PDF writers, passes the official
EN 16931 and Peppol BIS 3.0 rules (../shared/peppol/validate.py): invoices of both VAT categories,
a credit note that refers to its invoice, a supplementary invoice and the invoicing body's
invoice to a group municipality."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

from bibblix.billing import services
from bibblix.billing.documents.pdf import invoice_pdf
from bibblix.billing.documents.ubl import invoice_xml
from bibblix.billing.models import Invoice
from bibblix.billing.tests import builders as b

PEPPOL_DIR = Path(settings.SHARED_DIR) / "peppol"
pytestmark = [pytest.mark.shared, pytest.mark.django_db]


def _validator():
    spec = importlib.util.spec_from_file_location("peppol_validate", PEPPOL_DIR / "validate.py")
    validate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(validate)
    return validate


def test_issued_documents_of_a_year_pass_the_peppol_rules(tmp_path, economist):
    b.schedule(2025)
    sambruk, gits, vgr = b.arrangement()
    ale = b.municipality("Ale", "1440", 20_000)
    lerum = b.municipality("Lerum", "1441", 10_000)
    b.municipality("Tjörn", "1419", 32_500, member_since=b.D(2025, 3, 15),
                   connected_since=b.D(2025, 3, 15), group=vgr)  # fmt: skip
    for issuer in (sambruk, gits):
        services.approve_run(services.compute_run(issuer, 2025), economist, today=b.D(2025, 1, 5))
    b.end(ale, b.D(2025, 7, 1))  # credit notes
    lerum.population = 12_000  # supplementary invoice
    lerum.save()
    services.approve_run(services.compute_run(sambruk, 2025), economist, today=b.D(2025, 7, 2))
    issued = list(Invoice.objects.filter(status="issued"))
    kinds = {(i.kind, i.vat_category, i.is_supplementary) for i in issued}
    assert {("credit_note", "O", False), ("credit_note", "S", False),
            ("invoice", "S", True), ("invoice", "O", False)} <= kinds  # fmt: skip

    validate = _validator()
    for invoice in issued:
        document = services.invoice_document(invoice)
        path = tmp_path / f"{invoice.number}.xml"
        path.write_bytes(invoice_xml(document))
        found = validate.check_xsd(str(path)) + validate.run(str(path), str(PEPPOL_DIR))
        fatal = [f"{f['id']}: {f['text']}" for f in found if f["flag"] in ("fatal", "error")]
        assert fatal == [], invoice.number
        if invoice.kind == "credit_note":
            assert document.referenced_invoice == invoice.credits.number
    assert invoice_pdf(services.invoice_document(issued[0])).startswith(b"%PDF")

"""A document the writers refuse is a message on the invoice's page, never a server error."""

import pytest
from django.urls import reverse

from bibblix.billing import services
from bibblix.billing.models import Invoice
from bibblix.billing.tests import builders as b

pytestmark = pytest.mark.django_db


def test_a_seller_vat_number_peppol_would_reject_is_shown_not_a_500(client, economist):
    b.schedule(2025)
    sambruk, _gits, _vgr = b.arrangement()
    b.municipality("Borås", "1490", 10_000)
    services.approve_run(services.compute_run(sambruk, 2025), economist, "test")
    invoice = Invoice.objects.get(buyer__name="Borås", vat_category="S")
    invoice.parties["seller"]["vat_number"] = "SE01"  # as the demo once made it
    invoice.save()
    client.force_login(economist)
    response = client.get(reverse("admin:billing_invoice_xml", args=[invoice.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "admin:billing_invoice_change", args=[invoice.pk]
    )
    assert "SE01" in response.content.decode() and "SE-R-001" in response.content.decode()
    pdf = client.get(reverse("admin:billing_invoice_pdf", args=[invoice.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

"""The staff screens for runs and invoices: the economy role computes, previews and approves;
the association's admin sees but cannot approve; a municipality's staff see only their own
issued invoices, read-only; a member's page lists its invoices."""

import pytest
from django.urls import reverse

from bibblix.audit.models import AuditEntry
from bibblix.billing import services
from bibblix.billing.models import BillingRun, Invoice
from bibblix.billing.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2025():
    b.schedule(2025)
    sambruk, gits, vgr = b.arrangement()
    return sambruk


@pytest.fixture
def ale_billed(year_2025, ale, economist):
    """Ale (the personas' municipality) as a direct member, invoiced and approved for 2025."""
    b.Organisation.objects.filter(pk=ale.pk).update(
        organisation_number=b.org_number("212000144"),
        peppol_id="0007:2120001447",
        street="Ale torg 7",
        postcode="449 80",
        city="Alafors",
        invoice_reference="KST-1440",
        population=20_000,
    )
    b.Membership.objects.create(organisation=ale, route="direct", start_date=b.D(2019, 1, 1))
    borås = b.municipality("Borås", "1490", 10_000)
    services.approve_run(services.compute_run(year_2025, 2025), economist, "test")
    return Invoice.objects.filter(buyer=ale), Invoice.objects.filter(buyer=borås)


def test_economist_computes_previews_and_approves_a_run(client, economist, year_2025):
    b.municipality("Borås", "1490", 10_000)
    client.force_login(economist)
    assert client.get(reverse("admin:billing_billingrun_changelist")).status_code == 200
    response = client.post(
        reverse("admin:billing_billingrun_compute"),
        {"issuer": year_2025.pk, "year": 2025, "quarter": 0},
    )
    run = BillingRun.objects.get()
    assert response.url == reverse("admin:billing_billingrun_change", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "Vad har ändrats sedan förra körningen" in page
    assert "Medlemsavgift 2025" in page and "10\u00a0000,00\u00a0kr" in page
    assert 'id="approve"' in page
    response = client.post(response.url, {"comment": "Kontrollerad mot registret"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.state == "approved" and run.approved_by == economist
    assert sorted(run.invoices.values_list("number", flat=True)) == [
        "SB10001",
        "SB10002",
        "SB10003",
    ]
    entry = AuditEntry.objects.get(action="approve")
    assert (entry.user, entry.reason) == (economist, "Kontrollerad mot registret")


def test_approval_needs_a_comment_and_refusals_are_shown_in_swedish(client, economist, year_2025):
    b.municipality(
        "Borås",
        "1490",
        10_000,
    )
    b.Organisation.objects.filter(name="Borås").update(invoice_reference="")
    run = services.compute_run(year_2025, 2025)
    client.force_login(economist)
    url = reverse("admin:billing_billingrun_change", args=[run.pk])
    assert client.post(url, {"comment": ""}).status_code == 400
    response = client.post(url, {"comment": "ok"})
    assert response.status_code == 400
    assert "Borås saknar: köparens referens." in response.content.decode()
    run.refresh_from_db()
    assert run.state == "preview"


def test_association_admin_sees_the_preview_but_may_not_approve(client, coordinator, year_2025):
    b.municipality("Borås", "1490", 10_000)
    run = services.compute_run(year_2025, 2025)
    client.force_login(coordinator)
    url = reverse("admin:billing_billingrun_change", args=[run.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="approve"' not in page.content.decode()
    assert client.post(url, {"comment": "försök"}).status_code == 403
    assert client.get(reverse("admin:billing_billingrun_compute")).status_code == 403


def test_municipality_staff_see_only_their_own_invoices_read_only(
    client, municipality_admin_ale, ale_billed
):
    own, others = ale_billed
    client.force_login(municipality_admin_ale)
    page = client.get(reverse("admin:billing_invoice_changelist")).content.decode()
    for invoice in own:
        assert invoice.number in page
    for invoice in others:
        assert invoice.number not in page
        # The admin answers an id outside the user's rows as a missing one: back to the index.
        change = client.get(reverse("admin:billing_invoice_change", args=[invoice.pk]))
        assert change.status_code == 302 and change.url == reverse("admin:index")
        assert (
            client.get(reverse("admin:billing_invoice_pdf", args=[invoice.pk])).status_code == 404
        )
        assert (
            client.get(reverse("admin:billing_invoice_xml", args=[invoice.pk])).status_code == 404
        )
    mine = own.first()
    assert client.get(reverse("admin:billing_invoice_change", args=[mine.pk])).status_code == 200
    assert (
        client.post(reverse("admin:billing_invoice_change", args=[mine.pk]), {}).status_code == 403
    )
    assert client.get(reverse("admin:billing_billingrun_changelist")).status_code == 403
    assert client.get(reverse("admin:billing_feeschedule_changelist")).status_code == 403
    balances = client.get(reverse("admin:billing_invoice_balances")).content.decode()
    assert "Ale" in balances and "Borås" not in balances


def test_member_page_lists_its_invoices(client, economist, ale, ale_billed):
    own, _others = ale_billed
    client.force_login(economist)
    page = client.get(reverse("admin:members_organisation_change", args=[ale.pk])).content.decode()
    for invoice in own:
        assert invoice.number in page
    assert "obetald" in page  # the state, in Swedish


def test_pdf_and_peppol_xml_downloads(client, economist, ale_billed):
    own, _others = ale_billed
    invoice = own.filter(vat_category="S").get()
    client.force_login(economist)
    pdf = client.get(reverse("admin:billing_invoice_pdf", args=[invoice.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xml = client.get(reverse("admin:billing_invoice_xml", args=[invoice.pk]))
    assert xml["Content-Type"] == "application/xml"
    assert f"<cbc:ID>{invoice.number}</cbc:ID>".encode() in xml.content
    assert invoice.ocr.encode() in xml.content

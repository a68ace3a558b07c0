"""The economy role computes a billing run, reads the preview, approves it with a comment and
downloads an invoice as PDF and as Peppol XML, on a phone-sized screen."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from bibblix.billing.models import BillingRun
from bibblix.billing.tests import builders as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("BIBBLIX_SCREENSHOTS")  # a folder to keep screenshots in, if set


def log_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def snap(page, label: str) -> None:
    """Keep a screenshot at 100 % and at 200 % text, to look at (BIBBLIX_SCREENSHOTS)."""
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{label}.png", full_page=True)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        page.screenshot(path=f"{SCREENSHOTS}/{label}-200.png", full_page=True)
        page.evaluate("document.documentElement.style.fontSize = ''")


def test_economy_previews_approves_and_downloads_pdf_and_peppol_xml(
    phone, live_server, economist, time_machine
):
    time_machine.move_to(datetime.datetime(2025, 1, 15, 9, 0, tzinfo=datetime.UTC), tick=True)
    b.schedule(2025)
    sambruk, _gits, _vgr = b.arrangement()
    b.municipality("Borås", "1490", 10_000)
    log_in(phone, economist, live_server)

    phone.goto("/staff/billing/billingrun/")
    phone.get_by_role("link", name="Beräkna en faktureringskörning").click()
    phone.get_by_label("Fakturautställare").select_option(label="Sambruk")
    phone.get_by_label("År").fill("2025")
    phone.get_by_label("Period").select_option(label="Hela året")
    snap(phone, "run-compute")
    phone.get_by_role("button", name="Beräkna förhandsgranskningen").click()

    expect(
        phone.get_by_role("heading", name="Vad har ändrats sedan förra körningen")
    ).to_be_visible()
    expect(phone.get_by_role("cell", name="Årlig tjänsteavgift 2025").first).to_be_visible()
    expect(
        phone.get_by_text("population").or_(phone.get_by_text("folkmängd")).first
    ).to_be_visible()
    snap(phone, "run-preview")
    phone.get_by_label("Kommentar (varför, vad som har kontrollerats)").fill("Kontrollerad")
    phone.get_by_role("button", name="Godkänn körningen").click()
    expect(phone.get_by_text("Körningen är godkänd och dess fakturor numrerade.")).to_be_visible()
    expect(phone.get_by_text("SB10001", exact=False).first).to_be_visible()
    snap(phone, "run-approved")
    phone.goto("/staff/billing/invoice/")
    expect(phone.get_by_role("link", name="Saldo per medlem")).to_be_visible()
    snap(phone, "invoices")
    phone.get_by_role("link", name="Saldo per medlem").click()
    expect(phone.get_by_role("cell", name="Borås")).to_be_visible()
    snap(phone, "balances")
    phone.go_back()  # the invoice list, with the files of each invoice
    run = BillingRun.objects.get()
    assert run.state == "approved" and run.approval_comment == "Kontrollerad"

    # WeasyPrint takes a few seconds on a busy machine: wait for the files up to a minute.
    with phone.expect_download(timeout=60_000) as pdf:
        phone.get_by_role("link", name="PDF").first.click(timeout=60_000)
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    with phone.expect_download(timeout=60_000) as xml:
        phone.get_by_role("link", name="Peppol XML").first.click(timeout=60_000)
    content = Path(xml.value.path()).read_bytes()
    assert (
        b"<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>"
        in content
    )
    assert xml.value.suggested_filename.startswith("SB1000")

"""The economy role uploads a BgMax file, matches the unmatched payment by hand and sends a
reminder from the overdue list, on a phone-sized screen."""

import datetime
import os

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from bibblix.billing.models import Payment
from bibblix.billing.payment_models import Reminder
from bibblix.members.models import Contact

from .bgmax_files import bgmax_file, name, payment
from .payment_builders import make_invoice, make_issuer

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
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{label}.png", full_page=True)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        page.screenshot(path=f"{SCREENSHOTS}/{label}-200.png", full_page=True)
        page.evaluate("document.documentElement.style.fontSize = ''")


def test_economy_imports_matches_and_reminds(
    phone, live_server, economist, ale, boras, tmp_path, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
    issuer = make_issuer()
    paid = make_invoice(issuer, ale, 10001, 1250000)
    late = make_invoice(issuer, boras, 10002, 400000, due_date=datetime.date(2026, 11, 1))
    Contact.objects.create(
        organisation=boras, role=Contact.Role.ECONOMY, name="Bo", email="bo@boras.se"
    )
    path = tmp_path / "bgmax.txt"
    path.write_bytes(
        bgmax_file(
            [
                [
                    payment(paid.ocr, 1250000),
                    payment("", 150000, reference_code=1, serial=2),
                    name("Borås Stad"),
                ]
            ]
        )
    )
    log_in(phone, economist, live_server)

    phone.goto("/staff/billing/payment/")
    phone.get_by_role("link", name="Läs in en BgMax-fil").click()
    phone.get_by_label("BgMax-fil").set_input_files(str(path))
    phone.get_by_role("button", name="Läs in filen").click()
    expect(phone.get_by_role("row", name="Helt betalda 1")).to_be_visible()
    expect(phone.get_by_role("row", name="Omatchade 1")).to_be_visible()
    snap(phone, "bgmax-import")

    phone.get_by_role("link", name="Matcha de omatchade betalningarna").click()
    snap(phone, "unmatched")
    phone.get_by_role("link", name="Matcha mot faktura").click()
    phone.get_by_label("Fakturanummer").fill("SB10002")
    phone.get_by_label("Skäl").fill("Borås betalade utan OCR")
    snap(phone, "match")
    phone.get_by_role("button", name="Matcha mot faktura").click()
    expect(phone.get_by_text("Betalningen matchades mot faktura SB10002.")).to_be_visible()
    assert Payment.objects.get(amount_ore=150000).invoice == late

    phone.goto("/staff/billing/payment/overdue/")
    expect(phone.get_by_role("cell", name="2\u00a0500,00\u00a0kr")).to_be_visible()
    snap(phone, "overdue")
    phone.get_by_role("button", name="Skicka 1 påminnelse").click()
    expect(phone.get_by_text("1 påminnelser skickade.")).to_be_visible()
    assert Reminder.objects.get().invoice == late

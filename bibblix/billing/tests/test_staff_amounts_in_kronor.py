"""Every amount staff see in the staff area is in kronor and every rate in per cent: in forms,
in lists, and where the page is read-only (staff who may only view, invoices and payments that
never change by hand, read-only inlines). The coordinator may only view billing; the economist
edits it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bibblix.billing.models import FeeSchedule, FeeTier, Payment
from bibblix.billing.payment_models import BgMaxFile, Reminder
from bibblix.billing.tests.payment_builders import make_invoice, make_issuer
from bibblix.members.models import Organisation

NBSP = "\u00a0"


def kr(text: str) -> str:
    return text.replace(" ", NBSP) + NBSP + "kr"


@pytest.fixture
def schedule(db):
    schedule = FeeSchedule.objects.create(
        year=2027,
        vat_rate_basis_points=650,
        connection_fee_ore=1_250_050,
        group_one_off_share_basis_points=2500,
    )
    FeeTier.objects.create(
        schedule=schedule, max_population=10_000, direct_fee_ore=3_000_000, group_fee_ore=123_456
    )
    return schedule


@pytest.fixture
def invoice(db):
    buyer = Organisation.objects.create(kind=Organisation.Kind.MUNICIPALITY, name="Ale kommun")
    return make_invoice(make_issuer(), buyer, 17, 1_234_550)


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    return response.content.decode()


def test_view_only_staff_see_the_fee_schedule_in_kronor_and_per_cent(client, coordinator, schedule):
    html = page(
        client, coordinator, reverse("admin:billing_feeschedule_change", args=[schedule.pk])
    )
    assert 'name="connection_fee_ore"' not in html  # read-only for the coordinator
    assert kr("12 500,50") in html
    assert f"6,5{NBSP}%" in html  # VAT rate
    assert f"25{NBSP}%" in html  # the group's share
    assert kr("30 000,00") in html and kr("1 234,56") in html  # the tier inline
    assert "Anslutningsavgift, engångs (kr)" in html
    assert "Momssats (%)" in html
    assert "Årsavgift, direkt medlem (kr)" in html  # the inline's column
    for raw in ("1250050", "1 250 050", f"1{NBSP}250{NBSP}050", "3000000", "123456", ">650<"):
        assert raw not in html
    assert "(öre)" not in html and "baspunkter" not in html


def test_editors_type_the_same_schedule_in_kronor_and_per_cent(client, economist, schedule):
    html = page(client, economist, reverse("admin:billing_feeschedule_change", args=[schedule.pk]))
    assert 'name="connection_fee_ore" value="12500,50"' in html
    assert 'value="6,5"' in html
    assert 'value="30000,00"' in html and 'value="1234,56"' in html
    assert "(öre)" not in html and "baspunkter" not in html


@pytest.mark.parametrize("persona", ["coordinator", "economist"])
def test_an_invoice_shows_its_amounts_in_kronor(client, request, persona, invoice):
    user = request.getfixturevalue(persona)
    html = page(client, user, reverse("admin:billing_invoice_change", args=[invoice.pk]))
    assert kr("12 345,50") in html  # total
    assert kr("9 876,40") in html  # net
    assert kr("2 469,10") in html  # VAT
    assert f"25{NBSP}%" in html
    assert "Att betala (kr)" in html  # the total
    for raw in ("1234550", f"1{NBSP}234{NBSP}550", "987640", "246910", "(öre)", "baspunkter"):
        assert raw not in html
    listing = page(client, user, reverse("admin:billing_invoice_changelist"))
    assert kr("12 345,50") in listing and "1234550" not in listing


@pytest.mark.parametrize("persona", ["coordinator", "economist"])
def test_payments_reminders_and_files_show_kronor(client, request, persona, invoice):
    user = request.getfixturevalue(persona)
    payment = Payment.objects.create(
        amount_ore=500_025, paid_on=datetime.date(2026, 11, 2), invoice=invoice, source="manual"
    )
    reminder = Reminder.objects.create(
        invoice=invoice,
        level=1,
        sent_at=timezone.now(),
        sent_to="a@ale.se",
        outstanding_ore=734_525,
    )
    bgmax = BgMaxFile.objects.create(sha256="a" * 64, name="bg.txt", total_ore=500_025)
    pages = [
        (reverse("admin:billing_payment_change", args=[payment.pk]), kr("5 000,25"), "500025"),
        (reverse("admin:billing_payment_changelist"), kr("5 000,25"), "500025"),
        (reverse("admin:billing_reminder_change", args=[reminder.pk]), kr("7 345,25"), "734525"),
        (reverse("admin:billing_reminder_changelist"), kr("7 345,25"), "734525"),
        (reverse("admin:billing_bgmaxfile_change", args=[bgmax.pk]), kr("5 000,25"), "500025"),
    ]
    for url, shown, raw in pages:
        html = page(client, user, url)
        assert shown in html, url
        assert raw not in html and f"{raw[:-3]}{NBSP}{raw[-3:]}" not in html, url
        assert "(öre)" not in html, url

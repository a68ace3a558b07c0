"""Payments in the staff area: BgMax upload (refused whole with its line, in Swedish), manual
matching with a reason, the overdue list and "send reminders", and municipality staff who see
only payments of their own invoices."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bibblix.audit.models import AuditEntry
from bibblix.billing import payments
from bibblix.billing.models import Payment
from bibblix.billing.payment_models import BgMaxFile, Reminder
from bibblix.members.models import Contact

from .bgmax_files import bgmax_file, name, payment
from .payment_builders import make_invoice, make_issuer

IMPORT = reverse("admin:billing_payment_import")
OVERDUE = reverse("admin:billing_payment_overdue")
PAYMENTS = reverse("admin:billing_payment_changelist")
NOW = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def issuer(db):
    return make_issuer()


@pytest.fixture
def invoice(issuer, ale):
    return make_invoice(issuer, ale, 10001, 1250000, due_date=datetime.date(2026, 11, 1))


@pytest.fixture
def economy(client, economist):
    client.force_login(economist)
    return client


def upload(client, data: bytes):
    return client.post(IMPORT, {"file": SimpleUploadedFile("bgmax.txt", data)})


def test_economy_uploads_a_bgmax_file_and_sees_the_summary(economy, invoice):
    data = bgmax_file([[payment(invoice.ocr, 1000000), payment("", 5, reference_code=1, serial=2)]])

    response = upload(economy, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Delvis betalda" in page and "Omatchade" in page
    assert BgMaxFile.objects.get().imported_by.username == "economist"
    assert Payment.objects.count() == 2


def test_corrupt_upload_is_refused_whole_with_the_line_in_swedish(economy, invoice):
    data = bgmax_file([[payment(invoice.ocr, 1000000)]]).replace(b"\r\n20", b"\r\n99")

    response = upload(economy, data)

    assert response.status_code == 400
    assert "Filen lästes inte in: rad 3: okänd transaktionskod" in response.content.decode()
    assert Payment.objects.count() == 0 and BgMaxFile.objects.count() == 0


def test_same_upload_twice_says_so_and_changes_nothing(economy, invoice):
    data = bgmax_file([[payment(invoice.ocr, 1000000)]])
    upload(economy, data)

    response = upload(economy, data)

    assert "lästes in tidigare" in response.content.decode()
    assert Payment.objects.count() == 1


def test_unmatched_payment_is_matched_by_hand_with_a_reason(economy, economist, invoice):
    payments.import_bgmax(bgmax_file([[payment("", 1250000, reference_code=1), name("Ale")]]))
    unmatched = Payment.objects.get()
    listing = economy.get(PAYMENTS + "?matched=no").content.decode()
    url = reverse("admin:billing_payment_match", args=[unmatched.pk])
    assert url in listing

    refused = economy.post(url, {"invoice_number": "SB10001", "reason": ""})
    wrong = economy.post(url, {"invoice_number": "SB99999", "reason": "mejl"})
    done = economy.post(url, {"invoice_number": "sb10001", "reason": "Ale mejlade om betalningen"})

    assert refused.status_code == 400 and wrong.status_code == 400
    assert "Ingen utställd faktura har nummer SB99999" in wrong.content.decode()
    assert done.status_code == 302
    unmatched.refresh_from_db()
    assert unmatched.invoice == invoice and unmatched.matched_by == economist
    assert AuditEntry.objects.get(model="payment").reason == "Ale mejlade om betalningen"


@time_machine.travel(NOW)
def test_overdue_list_and_send_reminders(economy, invoice):
    Contact.objects.create(
        organisation=invoice.buyer, role=Contact.Role.ECONOMY, name="Eva", email="eva@ale.se"
    )

    page = economy.get(OVERDUE).content.decode()
    sent = economy.post(OVERDUE)
    again = economy.post(OVERDUE)

    assert "SB10001" in page and "12\u00a0500,00\u00a0kr" in page and "eva@ale.se" in page
    assert sent.status_code == again.status_code == 302
    assert len(mail.outbox) == 1 and Reminder.objects.count() == 1


@pytest.fixture
def ale_staff_with_payment_view(client, municipality_admin_ale):
    municipality_admin_ale.user_permissions.add(
        Permission.objects.get(codename="view_payment"),
        Permission.objects.get(codename="change_payment"),
        Permission.objects.get(codename="add_payment"),
    )
    client.force_login(municipality_admin_ale)
    return client


def test_municipality_staff_see_only_payments_of_their_own_invoices(
    ale_staff_with_payment_view, issuer, invoice, boras
):
    theirs = make_invoice(issuer, boras, 10002, 200000)
    payments.import_bgmax(
        bgmax_file(
            [
                [
                    payment(invoice.ocr, 1250000, payer_bankgiro="1111111"),
                    payment(theirs.ocr, 200000, serial=2, payer_bankgiro="2222222"),
                    payment("", 300, reference_code=1, serial=3),
                ]
            ]
        )
    )
    client = ale_staff_with_payment_view
    borås_payment = Payment.objects.get(invoice=theirs)
    unmatched = Payment.objects.get(invoice__isnull=True)

    listing = client.get(PAYMENTS)

    assert listing.status_code == 200
    assert [p.invoice for p in listing.context["cl"].result_list] == [invoice]
    assert (
        client.get(reverse("admin:billing_payment_change", args=[borås_payment.pk])).status_code
        == 302
    )
    assert (
        client.get(reverse("admin:billing_payment_match", args=[unmatched.pk])).status_code == 403
    )
    assert client.get(IMPORT).status_code == 403
    assert client.post(OVERDUE).status_code == 403


def test_payment_history_page_shows_the_manual_match(economy, economist, invoice):
    payments.import_bgmax(bgmax_file([[payment("", 1250000, reference_code=1)]]))
    unmatched = Payment.objects.get()
    payments.match_payment(unmatched, invoice, economist, "Ale mejlade")

    page = economy.get(reverse("admin:billing_payment_history", args=[unmatched.pk]))

    assert page.status_code == 200
    assert "Ale mejlade" in page.content.decode() and "SB10001" in page.content.decode()

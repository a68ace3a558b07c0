"""Overdue invoices and reminders: levels by lateness, sent once, dry run sends nothing."""

import datetime

import pytest
from django.core import mail

from bibblix.billing import payments
from bibblix.billing.models import Invoice
from bibblix.billing.payment_models import Reminder
from bibblix.billing.reminders import overdue_invoices, reminder_level, send_reminders
from bibblix.members.models import Contact

from .bgmax_files import bgmax_file, payment
from .payment_builders import make_invoice, make_issuer

DUE = datetime.date(2026, 11, 1)


@pytest.fixture
def issuer(db):
    return make_issuer()


@pytest.fixture
def invoice(issuer, ale):
    Contact.objects.create(
        organisation=ale, role=Contact.Role.ECONOMY, name="Eva Ekonom", email="eva@ale.se"
    )
    return make_invoice(issuer, ale, 10001, 1250000, due_date=DUE)


def test_levels_follow_the_days_overdue():
    assert reminder_level(9, []) is None
    assert reminder_level(10, []) == 1
    assert reminder_level(29, [1]) is None
    assert reminder_level(30, [1]) == 2
    assert reminder_level(45, []) == 2  # late enough for the second straight away
    assert reminder_level(60, [2]) is None


def test_reminder_is_sent_once_in_swedish_with_amount_ocr_and_bankgiro(invoice):
    day = DUE + datetime.timedelta(days=12)

    first = send_reminders(today=day)
    again = send_reminders(today=day)

    assert [o.outcome for o in first] == ["sent"] and again == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["eva@ale.se"]
    assert "Påminnelse" in message.subject and "SB10001" in message.subject
    assert "12\u00a0500,00\u00a0kr" in message.body
    assert invoice.ocr in message.body and "991-2346" in message.body
    reminder = Reminder.objects.get()
    assert (reminder.invoice, reminder.level, reminder.outstanding_ore) == (invoice, 1, 1250000)


def test_second_level_follows_when_still_unpaid(invoice):
    send_reminders(today=DUE + datetime.timedelta(days=12))

    later = send_reminders(today=DUE + datetime.timedelta(days=31))

    assert [(o.level, o.outcome) for o in later] == [(2, "sent")]
    assert sorted(Reminder.objects.values_list("level", flat=True)) == [1, 2]
    assert "Andra påminnelse" in mail.outbox[1].subject


def test_dry_run_sends_nothing_and_records_nothing(invoice):
    outcomes = send_reminders(today=DUE + datetime.timedelta(days=12), dry_run=True)

    assert [o.outcome for o in outcomes] == ["would_send"]
    assert mail.outbox == [] and Reminder.objects.count() == 0


def test_paid_and_not_yet_late_invoices_get_no_reminder(issuer, invoice, boras):
    payments.import_bgmax(bgmax_file([[payment(invoice.ocr, 1250000)]]))
    make_invoice(issuer, boras, 10002, 100000, due_date=DUE + datetime.timedelta(days=20))

    assert overdue_invoices(today=DUE + datetime.timedelta(days=12)) == []
    assert send_reminders(today=DUE + datetime.timedelta(days=12)) == []


def test_partly_paid_invoice_is_reminded_of_what_is_left(invoice):
    payments.import_bgmax(bgmax_file([[payment(invoice.ocr, 1000000)]]))

    send_reminders(today=DUE + datetime.timedelta(days=12))

    assert "2\u00a0500,00\u00a0kr" in mail.outbox[0].body
    assert Reminder.objects.get().outstanding_ore == 250000


def test_buyer_without_economy_contact_is_listed_not_mailed(issuer, boras):
    make_invoice(issuer, boras, 10003, 100000, due_date=DUE)

    outcomes = send_reminders(today=DUE + datetime.timedelta(days=12))

    assert [o.outcome for o in outcomes] == ["no_address"]
    assert mail.outbox == [] and Reminder.objects.count() == 0


def test_credited_invoice_is_not_overdue(issuer, invoice):
    make_invoice(issuer, invoice.buyer, 1, 1250000, kind=Invoice.Kind.CREDIT_NOTE, credits=invoice)

    assert overdue_invoices(today=DUE + datetime.timedelta(days=40)) == []

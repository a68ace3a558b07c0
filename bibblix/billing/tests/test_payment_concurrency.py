"""Imports and reminders racing each other on PostgreSQL (row locks and unique constraints are
what is being tested, so these do not run on SQLite)."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection

from bibblix.billing import payments
from bibblix.billing.models import Payment
from bibblix.billing.payment_models import BgMaxFile, Reminder
from bibblix.billing.reminders import send_reminders
from bibblix.members.models import Contact

from .bgmax_files import bgmax_file, payment
from .payment_builders import make_invoice, make_issuer

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
PARALLEL = 6


def _all_at_once(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def invoice(db, ale):
    return make_invoice(make_issuer(), ale, 10001, 1250000, due_date=datetime.date(2026, 11, 1))


def test_one_file_imported_six_times_at_once_is_booked_once(invoice):
    data = bgmax_file([[payment(invoice.ocr, 1250000), payment("", 700, serial=2)]])

    results = _all_at_once([lambda: payments.import_bgmax(data)] * PARALLEL)

    assert sum(not result.already_imported for result in results) == 1
    assert BgMaxFile.objects.count() == 1 and Payment.objects.count() == 2
    assert payments.balance_of(invoice).paid_ore == 1250000


def test_six_files_carrying_one_payment_at_once_book_it_once(invoice):
    files = [
        bgmax_file([[payment(invoice.ocr, 1250000)]], written_at=f"202612011{n}0000000000")
        for n in range(PARALLEL)
    ]

    results = _all_at_once([lambda data=data: payments.import_bgmax(data) for data in files])

    assert BgMaxFile.objects.count() == PARALLEL
    assert Payment.objects.count() == 1
    assert sum(result.skipped for result in results) == PARALLEL - 1


def test_reminder_runs_at_once_send_one_mail(invoice):
    Contact.objects.create(
        organisation=invoice.buyer, role=Contact.Role.ECONOMY, name="Eva", email="eva@ale.se"
    )
    today = datetime.date(2026, 11, 15)

    outcomes = _all_at_once([lambda: send_reminders(today=today)] * PARALLEL)

    assert Reminder.objects.count() == 1 and len(mail.outbox) == 1
    sent = [o.outcome for run in outcomes for o in run]
    assert sent.count("sent") == 1

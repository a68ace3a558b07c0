"""The demo payments: paid, paid by number, partly paid, unmatched, one reminder; loaded once."""

import datetime

from bibblix.billing import demo_payments, payments
from bibblix.billing.bgmax import parse
from bibblix.billing.models import Payment
from bibblix.billing.payment_models import Reminder
from bibblix.members.models import Contact

from .payment_builders import make_invoice, make_issuer

TODAY = datetime.date(2026, 12, 2)


def test_demo_file_is_a_valid_bgmax_file():
    data = demo_payments.demo_bgmax("991-2346", TODAY, [("123", 500, "A", ""), ("", 7, "B", "x")])

    parsed = parse(data)

    assert parsed.start.is_test
    assert [p.amount_ore for _d, p in parsed.payments] == [500, 7]


def test_demo_payments_and_one_reminder_are_loaded_once(db, ale, boras):
    issuer = make_issuer()
    by_number, by_ocr, partly, unpaid = (
        make_invoice(
            issuer, ale, 10001 + n, 100000 * (n + 1), due_date=datetime.date(2026, 10, n + 1)
        )
        for n in range(4)
    )
    Contact.objects.create(organisation=ale, role=Contact.Role.ECONOMY, name="E", email="e@ale.se")

    demo_payments.load(out=lambda line: None, today=TODAY)
    demo_payments.load(out=lambda line: None, today=TODAY)

    state = {i.number: payments.balance_of(i).state for i in (by_number, by_ocr, partly, unpaid)}
    assert state == {
        "SB10001": "paid",
        "SB10002": "paid",
        "SB10003": "partly_paid",
        "SB10004": "open",
    }
    assert Payment.objects.filter(invoice__isnull=True).count() == 1
    assert list(Reminder.objects.values_list("invoice__number", flat=True)) == ["SB10004"]

"""Demo payments, for `make run`: per issuer, a BgMax file that pays its overdue demo invoices
(one by invoice number instead of OCR, one only in part, the latest not at all) with one payment
nobody can match, imported through import_bgmax; then one reminder for the unpaid invoice.
Loaded once per issuer (the file's name marks it); call after the demo invoices exist."""

import datetime

from django.core.mail import get_connection
from django.utils import timezone

from .models import Invoice, Issuer
from .payment_models import BgMaxFile
from .payments import import_bgmax
from .reminders import overdue_invoices, send_reminder


def _record(code: str, body: str) -> str:
    return (code + body).ljust(80)


def _payment(reference: str, amount_ore: int, serial: int, reference_code: int) -> str:
    return _record("20", f"{0:010d}{reference:>25}{amount_ore:018d}{reference_code}1{serial:012d}0")


def demo_bgmax(bankgiro: str, day: datetime.date, payments: list[tuple]) -> bytes:
    """A BgMax file with one deposit of `payments` (reference, öre, payer, message) to
    `bankgiro` on `day`, in the layout Bankgirot sends."""
    digits = "".join(char for char in bankgiro if char.isdigit())
    lines = [
        _record("01", f"{'BGMAX':<20}01{day:%Y%m%d}060000000000T"),
        _record("05", f"{digits:0>10}{'':10}SEK"),
    ]
    for serial, (reference, amount, payer, message) in enumerate(payments, start=1):
        lines.append(_payment(reference, amount, serial, 2 if reference else 1))
        if message:
            lines.append(_record("25", message))
        lines.append(_record("26", payer))
    total = sum(amount for _reference, amount, _payer, _message in payments)
    account = "0" * 35
    lines.append(f"15{account}{day:%Y%m%d}00001{total:018d}SEK{len(payments):08d} ")
    lines.append(_record("70", f"{len(payments):08d}{0:08d}{0:08d}{1:08d}"))
    return ("\r\n".join(lines) + "\r\n").encode("iso-8859-1")


def load(out=print, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    for issuer in Issuer.objects.select_related("organisation").order_by("pk"):
        name = f"demo-bgmax-{issuer.pk}.txt"
        invoices = list(
            Invoice.objects.filter(
                issuer=issuer.organisation,
                status=Invoice.Status.ISSUED,
                kind=Invoice.Kind.INVOICE,
                due_date__lt=today,
                payments__isnull=True,
            )
            .select_related("buyer")
            .order_by("due_date", "number")
        )
        if len(invoices) < 3 or BgMaxFile.objects.filter(name=name).exists():
            continue
        *paid, partly, unpaid = invoices
        rows = [(invoice.ocr, invoice.total_ore, invoice.buyer.name, "") for invoice in paid[1:]]
        first = paid[0]
        rows.append(("", first.total_ore, first.buyer.name, f"Faktura {first.number}"))
        rows.append((partly.ocr, partly.total_ore // 2, partly.buyer.name, ""))
        rows.append(("", 123_400, "Okänd betalare AB", "Medlemsavgift"))
        day = today - datetime.timedelta(days=1)
        result = import_bgmax(demo_bgmax(issuer.bankgiro, day, rows), name=name)
        out(
            f"  billing: {name}: {len(result.payments)} payments, {len(result.unmatched)} unmatched"
        )
        _remind(unpaid, today, out)


def _remind(invoice: Invoice, today: datetime.date, out) -> None:
    overdue = next((row for row in overdue_invoices(today) if row.invoice.pk == invoice.pk), None)
    if overdue is None or overdue.due_level is None or not overdue.recipients:
        out(f"  billing: no demo reminder for {invoice.number} (not due or no economy contact)")
        return
    dummy = get_connection("django.core.mail.backends.dummy.EmailBackend")
    send_reminder(overdue, overdue.due_level, connection=dummy)
    out(f"  billing: reminder {overdue.due_level} for {invoice.number} (mail not sent in demo)")

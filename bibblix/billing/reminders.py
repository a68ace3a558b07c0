"""Overdue invoices and payment reminders by e-mail to the buyer's economy contacts.

Each reminder is a Reminder row, unique per invoice and level, written in the same transaction
as the mail is handed over: a rerun or a second worker sends nothing twice, and a mail that
could not be sent leaves no row, so the next run tries again.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bibblix.lib.money import format_sek
from bibblix.members.services import contacts_of

from .models import Invoice
from .payment_models import Reminder
from .payments import Balance, with_balances

logger = logging.getLogger(__name__)

# (level, days past the due date when it is sent). The second reminder also goes to an invoice
# that never had the first, if it is that late when reminders first run for it.
REMINDER_LEVELS = ((1, 10), (2, 30))


@dataclass
class OverdueInvoice:
    invoice: Invoice
    balance: Balance
    days_overdue: int
    levels_sent: list[int]
    due_level: int | None  # the reminder to send now, if any
    recipients: list[str]


@dataclass
class ReminderOutcome:
    overdue: OverdueInvoice
    level: int
    outcome: str  # "sent", "would_send", "no_address", "already_sent"


def reminder_level(days_overdue: int, levels_sent: list[int]) -> int | None:
    """The reminder level an invoice `days_overdue` days late should get now, or None when it
    is not late enough or already had that level (or a later one)."""
    reached = [level for level, days in REMINDER_LEVELS if days_overdue >= days]
    if not reached:
        return None
    level = max(reached)
    return None if any(sent >= level for sent in levels_sent) else level


def economy_addresses(buyer) -> list[str]:
    """E-mail addresses of the buyer's active economy contacts."""
    addresses = contacts_of(buyer, role="economy").exclude(email="")
    return sorted({address.strip() for address in addresses.values_list("email", flat=True)})


def overdue_invoices(
    today: datetime.date | None = None, invoices: QuerySet | None = None
) -> list[OverdueInvoice]:
    """Issued invoices past their due date with something left to pay, most overdue first;
    `invoices` narrows the search (e.g. to what a staff user may see)."""
    today = today or timezone.localdate()
    invoices = Invoice.objects.all() if invoices is None else invoices
    rows = (
        with_balances(
            invoices.filter(
                status=Invoice.Status.ISSUED, kind=Invoice.Kind.INVOICE, due_date__lt=today
            )
        )
        .filter(total_ore__gt=F("credited_ore") + F("paid_ore"))
        .select_related("issuer", "buyer")
        .prefetch_related("reminders")
        .order_by("due_date", "number")
    )
    overdue = []
    for invoice in rows:
        days = (today - invoice.due_date).days
        sent = sorted(reminder.level for reminder in invoice.reminders.all())
        overdue.append(
            OverdueInvoice(
                invoice=invoice,
                balance=Balance(invoice.total_ore, invoice.credited_ore, invoice.paid_ore),
                days_overdue=days,
                levels_sent=sent,
                due_level=reminder_level(days, sent),
                recipients=economy_addresses(invoice.buyer),
            )
        )
    return overdue


def _message(overdue: OverdueInvoice, level: int) -> tuple[str, str]:
    invoice = overdue.invoice
    issuer = getattr(invoice.issuer, "issuer", None)
    values = {
        "number": invoice.number,
        "issuer": invoice.issuer.name,
        "buyer": invoice.buyer.name,
        "issued": date_format(invoice.issue_date, "Y-m-d") if invoice.issue_date else "",
        "due": date_format(invoice.due_date, "Y-m-d"),
        "amount": format_sek(overdue.balance.outstanding_ore),
        "bankgiro": issuer.bankgiro if issuer else "",
        "ocr": invoice.ocr,
    }
    if level == 1:
        subject = _("Payment reminder: invoice %(number)s from %(issuer)s") % values
    else:
        subject = _("Second payment reminder: invoice %(number)s from %(issuer)s") % values
    lines = [
        _("Hello %(buyer)s,") % values,
        "",
        _("According to our accounts, invoice %(number)s has not been paid in full.") % values,
        _("Invoice date: %(issued)s") % values,
        _("Due date: %(due)s") % values,
        _("Left to pay: %(amount)s") % values,
        _("Please pay to bankgiro %(bankgiro)s with OCR reference %(ocr)s.") % values,
        "",
        _("If you have paid in the last few days, please disregard this reminder.") % values,
        "",
        _("Kind regards,") % values,
        invoice.issuer.name,
    ]
    return subject, "\n".join(lines)


def send_reminder(overdue: OverdueInvoice, level: int, user=None, connection=None) -> str:
    """Send one reminder unless this invoice had this level already: "sent" or "already_sent"."""
    try:
        # The row is the claim: a parallel run fails on the unique constraint and sends
        # nothing; a mail that fails rolls the claim back for the next run.
        with transaction.atomic():
            Reminder.objects.create(
                invoice=overdue.invoice,
                level=level,
                sent_at=timezone.now(),
                sent_to=", ".join(overdue.recipients),
                outstanding_ore=overdue.balance.outstanding_ore,
                sent_by=user if user is not None and user.is_authenticated else None,
            )
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = _message(overdue, level)
            send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                overdue.recipients,
                connection=connection,
            )
    except IntegrityError:
        return "already_sent"
    logger.info("billing: reminder %s for invoice %s", level, overdue.invoice.pk)
    return "sent"


def send_reminders(
    today: datetime.date | None = None,
    dry_run: bool = False,
    user=None,
    invoices: QuerySet | None = None,
) -> list[ReminderOutcome]:
    """Send each overdue invoice the reminder its lateness calls for, at most once per level;
    a dry run says what would be sent and changes nothing."""
    outcomes = []
    for overdue in overdue_invoices(today, invoices):
        level = overdue.due_level
        if level is None:
            continue
        if not overdue.recipients:
            outcome = "no_address"
        elif dry_run:
            outcome = "would_send"
        else:
            outcome = send_reminder(overdue, level, user)
        outcomes.append(ReminderOutcome(overdue, level, outcome))
    return outcomes

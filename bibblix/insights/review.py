"""Granskning: the review of connected libraries. One row per connected municipality, with flags
that each link to the staff page where the problem is fixed."""

import datetime
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from bibblix.members import services as members

from . import billing_data

NO_LOGIN_DAYS = 90
# A library system is failing when, in the last week, a login timed out or at least half of the
# login attempts failed (and at least five did): children mistyping a PIN is not a failure.
FAILING_WINDOW_DAYS = 7
FAILING_MIN_FAILURES = 5


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    url: str


@dataclass
class ReviewRow:
    municipality: object
    libraries: list = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _activity(since: datetime.date) -> dict:
    from . import services

    return services.library_activity(since)


def review(day: datetime.date | None = None, *, municipality_id: int | None = None):
    """The review on `day` (today by default): (rows, has_login_data, has_billing)."""
    day = day or members.today()
    connected = members.connected_on(day).order_by("name")
    if municipality_id is not None:
        connected = connected.filter(pk=municipality_id)
    quiet = _activity(day - datetime.timedelta(days=NO_LOGIN_DAYS))
    # The log has no login of any library ever (its last_login covers all time): statistics
    # are not collected yet, and "no logins for 90 days" on every library would say nothing.
    has_login_data = bool(quiet)
    recent = _activity(day - datetime.timedelta(days=FAILING_WINDOW_DAYS))
    has_billing = billing_data.has_invoices()
    invoices: dict[int, list] = {}
    for entry in (billing_data.ledger(None, today=day) or []) if has_billing else []:
        invoices.setdefault(entry.buyer_id, []).append(entry)
    rows = []
    for municipality in connected:
        row = ReviewRow(municipality, list(municipality.libraries.filter(is_active=True)))
        row.flags += _register_flags(municipality)
        if has_login_data:
            row.flags += _library_flags(row.libraries, quiet, recent)
        if has_billing:
            row.flags += _invoice_flags(invoices.get(municipality.pk, []))
        rows.append(row)
    return rows, has_login_data, has_billing


def _register_flags(municipality) -> list[Flag]:
    change = _url("admin:members_organisation_change", municipality.pk)
    page = _url("admin:members_organisation_member", municipality.pk)
    flags = []
    if municipality.connection_state == members.ConnectionEvent.State.NOTICE_GIVEN:
        flags.append(Flag("notice", _("Has given notice of termination"), page))
    if not municipality.organisation_number:
        flags.append(Flag("org_number", _("Organisation number missing"), change))
    if not municipality.peppol_id:
        flags.append(Flag("peppol", _("Peppol id missing"), change))
    if not municipality.invoice_reference:
        flags.append(Flag("reference", _("Buyer reference missing"), change))
    if not members.contacts_of(municipality).exists():
        flags.append(Flag("contact", _("No contact person"), change))
    return flags


def _library_flags(libraries, quiet: dict, recent: dict) -> list[Flag]:
    flags = []
    for library in libraries:
        url = _url("admin:members_library_change", library.pk)
        if not quiet.get(library.pk, {}).get("logins"):
            label = _("%(library)s: no logins for %(days)s days")
            flags.append(
                Flag("no_logins", label % {"library": library, "days": NO_LOGIN_DAYS}, url)
            )
        if is_failing(recent.get(library.pk, {})):
            label = _("%(library)s: the library system is failing (timeouts or failed logins)")
            flags.append(Flag("failing", label % {"library": library}, url))
    return flags


def is_failing(activity: dict) -> bool:
    """Whether a library's recent login figures show a failing library system."""
    failures, logins = activity.get("login_failures", 0), activity.get("logins", 0)
    if activity.get("timeouts", 0):
        return True
    return failures >= FAILING_MIN_FAILURES and failures >= logins


def _invoice_flags(ledger_rows) -> list[Flag]:
    flags = []
    for row in ledger_rows:
        if row.kind != "invoice" or row.state not in {"open", "partly_paid"}:
            continue
        url = _url("admin:billing_invoice_change", row.invoice_id)
        if row.is_overdue:
            flags.append(
                Flag("overdue", _("Invoice %(number)s is overdue") % {"number": row.number}, url)
            )
        else:
            flags.append(
                Flag("unpaid", _("Invoice %(number)s is unpaid") % {"number": row.number}, url)
            )
    return flags
